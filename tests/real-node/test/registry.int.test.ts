import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyYaml,
  createTestNamespace,
  execInNode,
  guardPackets,
  kubeRequest,
  mapNodeHosts,
  parseManifests,
  realNodePlacement,
  trustRegistry,
  workspaceRoot,
  writeNodeFile,
} from '@image-registry/testing';
import { clientPod, createPullSecret, createPusher, pulledPod } from './pods.ts';
import { describePod, getPod, isReady, podLog, skipReason, startApp, startCluster, tailOf, type AppProcess, type Cluster, type Pod } from './support.ts';

const operand = 'openshift-image-registry';
const registryHost = `image-registry.${operand}.svc`;
const registryHostPort = `${registryHost}:5000`;
const poll = { timeout: 180_000, interval: 1_000 };

describe.skipIf(skipReason)(`the registry on the real node${skipReason ? ` (not run: ${skipReason})` : ''}`, () => {
  let cluster: Cluster;
  const apps: AppProcess[] = [];
  let clusterIP = '';
  let ca = '';

  const registryPod = async (): Promise<Pod | undefined> => {
    const list = await kubeRequest<{ items: Pod[] }>(cluster.kc, 'GET', `/api/v1/namespaces/${operand}/pods?labelSelector=docker-registry%3Ddefault`);
    return list.items[0];
  };
  const appLogs = () => apps.map((a) => `--- ${a.log}\n${tailOf(a.log)}`).join('\n');

  beforeAll(async () => {
    cluster = await startCluster(['registry', 'registry-auth', 'test-client']);
    const { kc, h } = cluster;
    await kubeRequest(kc, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: operand } });
    // registry-auth asks the API server who a token is and what it may do (its shipped RBAC).
    await applyYaml(kc, parseManifests(readFileSync(join(workspaceRoot(), 'deploy/apps/registry-auth/rbac.yaml'), 'utf8')));
    await applyYaml(
      kc,
      {
        apiVersion: 'imageregistry.operator.openshift.io/v1',
        kind: 'Config',
        metadata: { name: 'cluster' },
        spec: { managementState: 'Managed', replicas: 1, storage: { emptyDir: {} }, ...realNodePlacement(h) },
      },
      { fieldManager: 'real-node-test' },
    );
    const images = h.images;
    apps.push(await startApp(cluster, 'storage', [`--namespace=${operand}`]));
    apps.push(
      await startApp(cluster, 'registry-workload', [
        `--namespace=${operand}`,
        '--registry-flavour=distribution',
        '--serving-cert=self-signed',
        `--registry-image=${images['registry']}`,
        `--registry-auth-image=${images['registry-auth']}`,
      ]),
    );
  });

  afterAll(async () => {
    for (const a of apps) await a.stop();
    await cluster?.cp.stop();
  });

  it('rolls out the real registry image: Running and Ready on the real node from its own probes', async () => {
    await expect
      .poll(async () => {
        const pod = await registryPod();
        return isReady(pod) && pod?.spec.nodeName === cluster.h.name ? 'ready' : `${describePod(pod)}\n${appLogs()}`;
      }, poll)
      .toBe('ready');
    const pod = await registryPod();
    const images = pod?.status?.containerStatuses?.map((c) => c.imageID) ?? [];
    expect(images.length).toBeGreaterThan(0);
  });

  it('answers through the Service ClusterIP from inside the node namespace', async () => {
    const svc = await kubeRequest<{ spec: { clusterIP: string } }>(cluster.kc, 'GET', `/api/v1/namespaces/${operand}/services/image-registry`);
    clusterIP = svc.spec.clusterIP;
    const cm = await kubeRequest<{ data: Record<string, string> }>(cluster.kc, 'GET', `/api/v1/namespaces/${operand}/configmaps/serviceca`);
    ca = cm.data['service-ca.crt'] ?? '';
    expect(ca).toContain('BEGIN CERTIFICATE');
    // The node resolves the Service name through its /etc/hosts (node-ca's agent writes that block on real clusters).
    await mapNodeHosts(cluster.h, { [clusterIP]: [registryHost, `${registryHost}.cluster.local`] });
    await writeNodeFile(cluster.h, '/run/iro/registry-ca.crt', ca);
    const get = (path: string) =>
      execInNode(cluster.h, [cluster.h.client, 'get', '--url', `https://${registryHostPort}${path}`, '--ca-file', '/run/iro/registry-ca.crt', '--token-file', '/nonexistent', '--timeout', '10s']);
    // `/` is the distribution flavour's health endpoint (what the pod's probes ask); registry-auth answers it
    // only while the registry behind it does. /healthz is the openshift flavour's (and registry-auth's metrics port).
    await expect.poll(() => get('/').catch((e: Error) => e.message), poll).toContain('"status":200');
  });

  it('a pod pushes by Service name, and the kubelet pulls it for a second pod trusting the CA from certs.d', async () => {
    const { kc, h } = cluster;
    const ns = await createTestNamespace(kc, 'rn-push');
    await createPusher(kc, ns);
    await applyYaml(kc, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'registry-ca', namespace: ns }, data: { 'ca.crt': ca } });
    await mapNodeHosts(h, { [clusterIP]: [registryHost, `${registryHost}.cluster.local`] });
    const ref = `${registryHostPort}/${ns}/hello:v1`;
    const alias = { ip: clusterIP, host: registryHost };

    await applyYaml(kc, clientPod(h, ns, 'push', ['push', '--ref', ref, '--ca-file', '/ca/ca.crt', '--pad-mb', '1'], alias));
    await expect
      .poll(async () => {
        const pod = await getPod(kc, ns, 'push');
        return pod.status?.phase === 'Succeeded' ? 'Succeeded' : describePod(pod);
      }, poll)
      .toBe('Succeeded');
    const pushed = JSON.parse((await podLog(kc, ns, 'push')).trim().split('\n').at(-1) ?? '{}') as { digest?: string };
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    await createPullSecret(kc, ns, registryHostPort);
    // Without the CA in certs.d the kubelet's pull fails on trust: the file below is what makes it work.
    await applyYaml(kc, pulledPod(h, ns, 'untrusted', ref));
    await expect
      .poll(async () => {
        const pod = await getPod(kc, ns, 'untrusted');
        return pod.status?.containerStatuses?.[0]?.state?.waiting?.message ?? describePod(pod);
      }, poll)
      .toMatch(/x509|certificate/);
    await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${ns}/pods/untrusted?gracePeriodSeconds=0`);

    await trustRegistry(h, registryHostPort, ca);
    await applyYaml(kc, pulledPod(h, ns, 'pulled', ref));
    await expect
      .poll(async () => {
        const pod = await getPod(kc, ns, 'pulled');
        return isReady(pod) ? 'ready' : describePod(pod);
      }, poll)
      .toBe('ready');
    const pod = await getPod(kc, ns, 'pulled');
    expect(pod.spec.nodeName).toBe(h.name);
    expect(pod.status?.containerStatuses?.[0]?.imageID).toContain(pushed.digest);
  });

  it('sent no packet for a cluster range off the machine (host guard counters)', async () => {
    expect(await guardPackets()).toBe(0);
  });
});

