// Upstream's e2e scenarios that need running pods (graceful_shutdown_test.go, removed_test.go,
// pruner_test.go's pod tests), and node-ca's agent as a real DaemonSet: on the real node, with the apps that
// own those pods as processes (registry-workload, storage, node-ca, pruner). Nothing here hands the node
// trust or host names: node-ca's agent writes both, and the kubelet's pull depends on them.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyYaml,
  createTestNamespace,
  execInNode,
  guardPackets,
  kubeRequest,
  parseManifests,
  realNodePlacement,
  workspaceRoot,
} from '@image-registry/testing';
import { clientPod, createPullSecret, createPusher, pulledPod } from './pods.ts';
import {
  describePod,
  getPod,
  isReady,
  skipReason,
  startApp,
  startCluster,
  tailOf,
  type AppProcess,
  type Cluster,
  type Pod,
} from './support.ts';

const operand = 'openshift-image-registry';
const registryHost = `image-registry.${operand}.svc`;
const registryHostPort = `${registryHost}:5000`;
const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';
const prunerPath = '/apis/imageregistry.operator.openshift.io/v1/imagepruners/cluster';
const poll = { timeout: 180_000, interval: 1_000 };

describe.skipIf(skipReason)(
  `upstream's e2e on the real node${skipReason ? ` (not run: ${skipReason})` : ''}`,
  () => {
    let cluster: Cluster;
    const apps: AppProcess[] = [];
    const appLogs = () => apps.map((a) => `--- ${a.log}\n${tailOf(a.log)}`).join('\n');

    const pods = async (selector: string): Promise<Pod[]> =>
      (
        await kubeRequest<{ items: Pod[] }>(
          cluster.kc,
          'GET',
          `/api/v1/namespaces/${operand}/pods?labelSelector=${encodeURIComponent(selector)}`,
        )
      ).items;
    /** The Ready pod of `selector` on the real node (the node-ca DaemonSet also has one on the kwok node). */
    const readyOnNode = async (selector: string): Promise<Pod | string> => {
      const all = await pods(selector);
      const pod = all.find((p) => p.spec.nodeName === cluster.h.name && isReady(p));
      return pod ?? `${all.map(describePod).join('\n') || `(no pod ${selector})`}\n${appLogs()}`;
    };
    const waitReadyOnNode = async (selector: string): Promise<Pod> => {
      let found: Pod | undefined;
      await expect
        .poll(async () => {
          const r = await readyOnNode(selector);
          if (typeof r === 'string') return r;
          found = r;
          return 'ready';
        }, poll)
        .toBe('ready');
      return found as Pod;
    };
    const conditionOf = async (type: string) =>
      (
        await kubeRequest<{ status?: { conditions?: { type: string; status: string }[] } }>(
          cluster.kc,
          'GET',
          configPath,
        )
      ).status?.conditions?.find((c) => c.type === type)?.status;

    /** Follows a container's log (kubectl logs -f) until `line` shows up or the stream ends; returns what it saw. */
    const followUntil = (pod: Pod, container: string, line: string, act: () => Promise<void>) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(join(cluster.cp.binDir, 'kubectl'), [
          `--kubeconfig=${cluster.cp.kubeconfigPath}`,
          '-n',
          operand,
          'logs',
          '-f',
          '--tail=0',
          pod.metadata.name,
          '-c',
          container,
        ]);
        let seen = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
        child.stdout.on('data', (b: Buffer) => {
          seen += b.toString('utf8');
          if (seen.includes(line)) child.kill('SIGTERM');
        });
        child.on('exit', () => {
          clearTimeout(timer);
          resolve(seen);
        });
        child.on('error', reject);
        // Give the stream a moment to attach before the pod is told to stop.
        setTimeout(() => act().catch(reject), 2_000);
      });

    beforeAll(async () => {
      cluster = await startCluster(['registry', 'registry-auth', 'test-client', 'node-ca', 'pruner']);
      const { kc, h } = cluster;
      const root = workspaceRoot();
      // The namespaces as the install ships them (node-ca's agent needs the privileged Pod Security level).
      await applyYaml(kc, parseManifests(readFileSync(join(root, 'deploy/base/namespace.yaml'), 'utf8')));
      await applyYaml(
        kc,
        parseManifests(readFileSync(join(root, 'deploy/apps/registry-auth/rbac.yaml'), 'utf8')),
      );
      await applyYaml(
        kc,
        {
          apiVersion: 'imageregistry.operator.openshift.io/v1',
          kind: 'Config',
          metadata: { name: 'cluster' },
          spec: {
            managementState: 'Managed',
            replicas: 1,
            storage: { emptyDir: {} },
            ...realNodePlacement(h),
          },
        },
        { fieldManager: 'real-node-test' },
      );
      const images = h.images;
      const ns = `--namespace=${operand}`;
      apps.push(await startApp(cluster, 'storage', [ns]));
      apps.push(
        await startApp(cluster, 'registry-workload', [
          ns,
          '--registry-flavour=distribution',
          '--serving-cert=self-signed',
          `--registry-image=${images['registry']}`,
          `--registry-auth-image=${images['registry-auth']}`,
        ]),
      );
      apps.push(await startApp(cluster, 'node-ca', [ns, `--node-ca-image=${images['node-ca']}`]));
      apps.push(
        await startApp(cluster, 'pruner', [
          ns,
          '--serving-cert=self-signed',
          `--prune-image=${images['pruner']}`,
        ]),
      );
    });

    afterAll(async () => {
      for (const a of apps) await a.stop();
      await cluster?.cp.stop();
    });

    it("node-ca's agent as a real DaemonSet: the kubelet pulls an image pushed by Service name, trusting what the agent wrote", async () => {
      const { kc, h } = cluster;
      await waitReadyOnNode('docker-registry=default');
      await waitReadyOnNode('name=node-ca');
      const ca = (
        await kubeRequest<{ data: Record<string, string> }>(
          kc,
          'GET',
          `/api/v1/namespaces/${operand}/configmaps/serviceca`,
        )
      ).data['service-ca.crt'];
      // The agent's files on the node: the CA for containerd and the Service name in /etc/hosts.
      await expect
        .poll(
          () =>
            execInNode(h, ['cat', `/etc/containerd/certs.d/${registryHostPort}/ca.crt`]).catch(
              (e: Error) => e.message,
            ),
          poll,
        )
        .toContain((ca ?? '').trim().split('\n')[1] ?? 'BEGIN CERTIFICATE');
      const svc = await kubeRequest<{ spec: { clusterIP: string } }>(
        kc,
        'GET',
        `/api/v1/namespaces/${operand}/services/image-registry`,
      );
      await expect
        .poll(() => execInNode(h, ['cat', '/etc/hosts']), poll)
        .toMatch(new RegExp(`${svc.spec.clusterIP.replaceAll('.', '\\.')}\\s.*${registryHost}`));

      const ns = await createTestNamespace(kc, 'rn-e2e');
      await createPusher(kc, ns);
      await applyYaml(kc, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'registry-ca', namespace: ns },
        data: { 'ca.crt': ca },
      });
      const ref = `${registryHostPort}/${ns}/hello:v1`;
      await applyYaml(
        kc,
        clientPod(h, ns, 'push', ['push', '--ref', ref, '--ca-file', '/ca/ca.crt', '--pad-mb', '1'], {
          ip: svc.spec.clusterIP,
          host: registryHost,
        }),
      );
      await expect
        .poll(async () => {
          const pod = await getPod(kc, ns, 'push');
          return pod.status?.phase === 'Succeeded' ? 'Succeeded' : describePod(pod);
        }, poll)
        .toBe('Succeeded');
      await createPullSecret(kc, ns, registryHostPort);
      await applyYaml(kc, pulledPod(h, ns, 'pulled', ref));
      await expect
        .poll(async () => {
          const pod = await getPod(kc, ns, 'pulled');
          return isReady(pod) ? 'ready' : describePod(pod);
        }, poll)
        .toBe('ready');
    });

    it('TestNodeCAGracefulShutdown', async () => {
      const pod = await waitReadyOnNode('name=node-ca');
      const seen = await followUntil(pod, 'node-ca', 'shutting down node-ca', () =>
        kubeRequest(cluster.kc, 'DELETE', `/api/v1/namespaces/${operand}/pods/${pod.metadata.name}`).then(
          () => undefined,
        ),
      );
      expect(seen).toContain('shutting down node-ca');
      await waitReadyOnNode('name=node-ca');
    });

    it('TestImageRegistryGracefulShutdown', async () => {
      const pod = await waitReadyOnNode('docker-registry=default');
      // registry-auth is the pod's front door: it stops taking connections and drains before the registry stops.
      const seen = await followUntil(pod, 'registry-auth', 'draining', () =>
        kubeRequest(cluster.kc, 'DELETE', `/api/v1/namespaces/${operand}/pods/${pod.metadata.name}`).then(
          () => undefined,
        ),
      );
      expect(seen).toContain('draining');
      await waitReadyOnNode('docker-registry=default');
    });

    it('TestPrunerPodCompletes and TestPrunerIgnoreInvalidImageReferences', async () => {
      const { kc, h } = cluster;
      await expect
        .poll(
          () =>
            kubeRequest(kc, 'GET', prunerPath).then(
              () => true,
              () => false,
            ),
          poll,
        )
        .toBe(true);
      await kubeRequest(
        kc,
        'PATCH',
        prunerPath,
        {
          spec: {
            schedule: '* * * * *',
            suspend: false,
            ignoreInvalidImageReferences: true,
            ...realNodePlacement(h),
          },
        },
        'application/merge-patch+json',
      );
      await expect
        .poll(
          async () => {
            const all = await pods('');
            const pruners = all.filter((p) => p.metadata.name.startsWith('image-pruner-'));
            const done = pruners.find((p) => p.status?.phase === 'Succeeded');
            return done
              ? (await getPod(kc, operand, done.metadata.name)).spec.nodeName
              : pruners.map(describePod).join('\n') || '(no pruner pod yet)';
          },
          { timeout: 240_000, interval: 2_000 },
        )
        .toBe(h.name);
      const done = (await pods('')).find(
        (p) => p.metadata.name.startsWith('image-pruner-') && p.status?.phase === 'Succeeded',
      );
      const args = await kubeRequest<{ spec: { containers: { args?: string[] }[] } }>(
        kc,
        'GET',
        `/api/v1/namespaces/${operand}/pods/${done?.metadata.name}`,
      );
      expect(args.spec.containers[0]?.args).toContain('--ignore-invalid-refs=true');
    });

    it('TestImageRegistryRemovedWithImages', async () => {
      // The first test pushed an image into the registry's storage; Removed must still complete.
      await kubeRequest(
        cluster.kc,
        'PATCH',
        configPath,
        { spec: { managementState: 'Removed' } },
        'application/merge-patch+json',
      );
      await expect
        .poll(
          async () => ({
            removed: await conditionOf('Removed'),
            progressing: await conditionOf('Progressing'),
          }),
          poll,
        )
        .toEqual({
          removed: 'True',
          progressing: 'False',
        });
    });

    it('sent no packet for a cluster range off the machine (host guard counters)', async () => {
      expect(await guardPackets()).toBe(0);
    });
  },
);
