import { kubeRequest, testKubeConfig } from '@image-registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settled, sentinelRound } from './quiet.ts';
import { deploymentPath, envOf, get, getDeployment, useWorkloadFixture, waitAvailable } from './support.ts';

const f = useWorkloadFixture({ beforeEach, afterEach }, testKubeConfig());

describe('drift repair', () => {
  it('recreates a deleted Deployment', async () => {
    await f.managed();
    await waitAvailable(f.kc);
    const before = await getDeployment(f.kc, f.ns);
    await kubeRequest(f.kc, 'DELETE', deploymentPath(f.ns));
    await expect
      .poll(async () => (await getDeployment(f.kc, f.ns))?.metadata.uid ?? 'gone', { timeout: 30_000 })
      .not.toMatch(new RegExp(`^(gone|${before?.metadata.uid})$`));
  });

  it('reverts a user adding env FOO=BAR and a container port foo:2222, then goes quiet', async () => {
    const app = await f.managed();
    await waitAvailable(f.kc);
    // A strategic merge patch, as `kubectl edit` would send.
    await kubeRequest(
      f.kc,
      'PATCH',
      `${deploymentPath(f.ns)}?fieldManager=kubectl-edit`,
      {
        spec: {
          template: {
            spec: { containers: [{ name: 'registry', env: [{ name: 'FOO', value: 'BAR' }], ports: [{ name: 'foo', containerPort: 2222 }] }] },
          },
        },
      },
      'application/strategic-merge-patch+json',
    );
    await expect
      .poll(async () => {
        const d = await getDeployment(f.kc, f.ns);
        // The pod's ports: 5000 and registry-auth's metrics (the distribution registry itself listens on loopback).
        return { foo: envOf(d)['FOO'], ports: d?.spec.template.spec.containers.flatMap((c) => c.ports ?? []).map((p) => p['containerPort']) };
      }, { timeout: 60_000 })
      .toEqual({ foo: undefined, ports: [5000, 8080] });
    // The repair leaves this app the only owner of the spec: no apply/update ping-pong afterwards.
    await waitAvailable(f.kc);
    await settled(f.kc, app);
    expect(await sentinelRound(f.kc, app)).toBe(0);
  });

  it('restores a deleted or mutated image-registry-networkpolicy', async () => {
    const app = await f.managed();
    await waitAvailable(f.kc);
    const path = `/apis/networking.k8s.io/v1/namespaces/${f.ns}/networkpolicies/image-registry-networkpolicy`;
    type Policy = { metadata: { uid: string }; spec: unknown };
    const original = await get<Policy>(f.kc, path);
    expect(original?.spec).toMatchObject({ podSelector: { matchLabels: { 'docker-registry': 'default' } }, policyTypes: ['Ingress', 'Egress'] });
    await kubeRequest(f.kc, 'DELETE', path);
    await expect.poll(async () => (await get<Policy>(f.kc, path))?.metadata.uid ?? 'gone', { timeout: 30_000 }).not.toMatch(new RegExp(`^(gone|${original?.metadata.uid})$`));
    expect((await get<Policy>(f.kc, path))?.spec).toEqual(original?.spec);
    // upstream's disruptive test: a merge patch of the podSelector
    await kubeRequest(f.kc, 'PATCH', `${path}?fieldManager=kubectl-patch`, { spec: { podSelector: { matchLabels: { 'docker-registry': 'other', extra: 'x' } } } }, 'application/merge-patch+json');
    await expect.poll(async () => (await get<Policy>(f.kc, path))?.spec, { timeout: 30_000 }).toEqual(original?.spec);
    await settled(f.kc, app);
  });

  it('restores a deleted Service, ServiceAccount and ClusterRole, and reverts an added rule', async () => {
    await f.managed();
    await waitAvailable(f.kc);
    const paths = [
      `/api/v1/namespaces/${f.ns}/services/image-registry`,
      `/api/v1/namespaces/${f.ns}/serviceaccounts/registry`,
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:registry',
    ];
    const uids = await Promise.all(paths.map(async (p) => (await get<{ metadata: { uid: string } }>(f.kc, p))?.metadata.uid));
    for (const p of paths) await kubeRequest(f.kc, 'DELETE', p);
    for (const [i, p] of paths.entries()) {
      await expect
        .poll(async () => (await get<{ metadata: { uid: string } }>(f.kc, p))?.metadata.uid ?? 'gone', { timeout: 30_000, message: p })
        .not.toMatch(new RegExp(`^(gone|${uids[i]})$`));
    }
    const role = '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:registry';
    await kubeRequest(
      f.kc,
      'PATCH',
      `${role}?fieldManager=kubectl-edit`,
      [{ op: 'add', path: '/rules/-', value: { apiGroups: [''], resources: ['secrets'], verbs: ['get'] } }],
      'application/json-patch+json',
    );
    await expect
      .poll(async () => (await get<{ rules: { resources: string[] }[] }>(f.kc, role))?.rules.some((r) => r.resources.includes('secrets')), {
        timeout: 30_000,
      })
      .toBe(false);
  });

  it('rolls the pods when the serving certificate changes', async () => {
    await f.managed();
    await waitAvailable(f.kc);
    const checksum = async () =>
      (await getDeployment(f.kc, f.ns))?.spec.template.metadata.annotations?.['imageregistry.operator.openshift.io/dependencies-checksum'];
    const before = await checksum();
    const tls = await get<{ data: Record<string, string> }>(f.kc, `/api/v1/namespaces/${f.ns}/secrets/image-registry-tls`);
    await kubeRequest(f.kc, 'DELETE', `/api/v1/namespaces/${f.ns}/secrets/image-registry-tls`);
    // Compared as strings: base64 holds '+' and '/', which a RegExp built from it would not match literally.
    const reissued = async () => {
      const crt = (await get<{ data: Record<string, string> }>(f.kc, `/api/v1/namespaces/${f.ns}/secrets/image-registry-tls`))?.data['tls.crt'];
      return crt !== undefined && crt !== tls?.data['tls.crt'];
    };
    await expect.poll(reissued, { timeout: 30_000 }).toBe(true);
    await expect.poll(checksum, { timeout: 30_000 }).not.toBe(before);
  });
});
