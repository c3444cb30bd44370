import {
  applyYaml,
  KubeRequestError,
  kubeRequest,
  serviceAccountKubeConfig,
  shippedAppRbac,
  testKubeConfig,
  type Manifest,
} from '@image-registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  conditionSummary,
  fakeStorage,
  get,
  getDeployment,
  patchConfig,
  startWorkload,
  useWorkloadFixture,
  waitAvailable,
  type RunningWorkload,
} from './support.ts';
import { renderClusterRole } from '../src/render/cluster-role.ts';

const kc = testKubeConfig();
const f = useWorkloadFixture({ beforeEach, afterEach }, kc);
let app: RunningWorkload | undefined;
let clusterScoped: Manifest[] = [];

afterEach(async () => {
  await app?.stop();
  app = undefined;
  for (const m of clusterScoped) {
    const plural = m.kind === 'ClusterRole' ? 'clusterroles' : 'clusterrolebindings';
    await kubeRequest(kc, 'DELETE', `/apis/rbac.authorization.k8s.io/v1/${plural}/${encodeURIComponent(m.metadata.name)}`).catch(() => undefined);
  }
  clusterScoped = [];
});

describe('the shipped RBAC', () => {
  it('is enough to bootstrap, run and remove the registry, with leader election', async () => {
    const manifests = shippedAppRbac('registry-workload', f.ns);
    clusterScoped = manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding');
    await applyYaml(kc, manifests);
    const sa = manifests.find((m) => m.kind === 'ServiceAccount')?.metadata.name ?? '';
    const asApp = await serviceAccountKubeConfig(kc, f.ns, sa);

    app = await startWorkload(asApp, f.ns, {}, { leaderElection: true });
    // Bootstrap on these kwok nodes: platform None, so the Config starts Removed.
    await expect.poll(() => conditionSummary(kc), { timeout: 60_000 }).toMatchObject({ Removed: 'True/Removed' });

    await patchConfig(kc, { managementState: 'Managed', storage: { emptyDir: {} } });
    await fakeStorage(kc, { emptyDir: {}, managementState: 'Managed' });
    await waitAvailable(kc);
    expect(await getDeployment(kc, f.ns)).toBeDefined();
    expect(await get(kc, '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:registry')).toBeDefined();

    await patchConfig(kc, { managementState: 'Removed' });
    await expect.poll(() => conditionSummary(kc), { timeout: 60_000 }).toMatchObject({ Removed: 'True/Removed', Progressing: 'False/Removed' });
    await expect.poll(() => get(kc, '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:registry'), { timeout: 30_000 }).toBeUndefined();
  });

  it("cannot widen system:registry, bind more than it holds, nor overwrite the storage app's secret", async () => {
    const manifests = shippedAppRbac('registry-workload', f.ns);
    clusterScoped = manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding');
    await applyYaml(kc, manifests);
    const sa = manifests.find((m) => m.kind === 'ServiceAccount')?.metadata.name ?? '';
    const asApp = await serviceAccountKubeConfig(kc, f.ns, sa);
    const status = (p: Promise<unknown>) => p.then(() => 200, (err: unknown) => (err instanceof KubeRequestError ? err.status : -1));
    const rbac = '/apis/rbac.authorization.k8s.io/v1';

    // What the app renders, it may write: the escalation check passes because it holds those rules.
    const role = renderClusterRole('uid-test');
    role.metadata = { name: 'system:registry' };
    expect(await status(kubeRequest(asApp, 'POST', `${rbac}/clusterroles`, role))).toBe(200);
    // One rule more, and RBAC refuses (no escalate).
    const wider = { ...role, rules: [...(role.rules ?? []), { apiGroups: [''], resources: ['secrets'], verbs: ['*'] }] };
    expect(await status(kubeRequest(asApp, 'PUT', `${rbac}/clusterroles/system:registry`, wider))).toBe(403);
    // Nor can it bind a role it does not hold to itself (no bind).
    const selfBinding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'registry-registry-role' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: sa, namespace: f.ns }],
    };
    expect(await status(kubeRequest(asApp, 'POST', `${rbac}/clusterrolebindings`, selfBinding))).toBe(403);

    // The storage app's secret (cloud credentials): readable, never writable.
    const secretPath = `/api/v1/namespaces/${f.ns}/secrets/image-registry-private-configuration`;
    await kubeRequest(kc, 'POST', `/api/v1/namespaces/${f.ns}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'image-registry-private-configuration' },
      stringData: { 'REGISTRY_STORAGE_S3_ACCESSKEY': 'belongs-to-storage' },
    });
    expect(await status(kubeRequest(asApp, 'GET', secretPath))).toBe(200);
    expect(await status(kubeRequest(asApp, 'PATCH', secretPath, { stringData: { REGISTRY_STORAGE_S3_ACCESSKEY: 'x' } }, 'application/merge-patch+json'))).toBe(403);
    expect(await status(kubeRequest(asApp, 'DELETE', secretPath))).toBe(403);
    await kubeRequest(kc, 'DELETE', `${rbac}/clusterroles/system:registry`).catch(() => undefined);
  });
});

