import {
  applyYaml,
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
});
