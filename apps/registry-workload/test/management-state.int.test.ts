import { kubeRequest, testKubeConfig } from '@image-registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  conditionSummary,
  configPath,
  createConfig,
  fakeStorage,
  get,
  getConfig,
  getDeployment,
  patchConfig,
  useWorkloadFixture,
  waitAvailable,
} from './support.ts';

const f = useWorkloadFixture({ beforeEach, afterEach }, testKubeConfig());

const removedConditions = { Available: 'True/Removed', Progressing: 'False/Removed', Degraded: 'False/Removed', Removed: 'True/Removed' };

describe('managementState', () => {
  it('Unmanaged: reports Unmanaged and touches nothing', async () => {
    await f.managed();
    await waitAvailable(f.kc);
    const before = await getDeployment(f.kc, f.ns);
    await patchConfig(f.kc, { managementState: 'Unmanaged', replicas: 3 });
    await expect.poll(() => conditionSummary(f.kc), { timeout: 30_000 }).toEqual({
      Available: 'True/Unmanaged',
      Progressing: 'False/Unmanaged',
      Degraded: 'False/Unmanaged',
      Removed: 'False/',
    });
    const after = await getDeployment(f.kc, f.ns);
    expect(after?.spec.replicas).toBe(1);
    expect(after?.metadata.generation).toBe(before?.metadata.generation);
  });

  it('Removed: deletes the Deployment and the other registry objects, and reports Removed', async () => {
    await f.managed();
    await waitAvailable(f.kc);
    await patchConfig(f.kc, { managementState: 'Removed' });
    await expect.poll(() => conditionSummary(f.kc), { timeout: 60_000 }).toEqual(removedConditions);
    expect(await getDeployment(f.kc, f.ns)).toBeUndefined();
    for (const path of [
      `/api/v1/namespaces/${f.ns}/services/image-registry`,
      `/api/v1/namespaces/${f.ns}/serviceaccounts/registry`,
      `/apis/policy/v1/namespaces/${f.ns}/poddisruptionbudgets/image-registry`,
      `/apis/networking.k8s.io/v1/namespaces/${f.ns}/networkpolicies/image-registry-networkpolicy`,
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:registry',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/registry-registry-role',
    ]) {
      await expect.poll(() => get(f.kc, path), { timeout: 30_000, message: path }).toBeUndefined();
    }
    // The CA stays: nodes keep trusting the registry that comes back with Managed.
    expect(await get(f.kc, `/api/v1/namespaces/${f.ns}/configmaps/serviceca`)).toBeDefined();
    // Storage belongs to the storage app: nothing of status.storage is touched.
    expect((await getConfig(f.kc))?.status).toMatchObject({ storage: { emptyDir: {} } });
  });

  it('Removed → Managed: a Config created Removed becomes available once Managed', async () => {
    await createConfig(f.kc, { managementState: 'Removed', replicas: 1 });
    await f.start();
    await expect.poll(() => conditionSummary(f.kc), { timeout: 30_000 }).toEqual(removedConditions);
    await patchConfig(f.kc, { managementState: 'Managed', storage: { emptyDir: {} } });
    await fakeStorage(f.kc, { emptyDir: {}, managementState: 'Managed' });
    await waitAvailable(f.kc);
    expect(await getDeployment(f.kc, f.ns)).toBeDefined();
  });

  it('deleting Config/cluster lets the garbage collector remove the registry objects', async () => {
    const app = await f.managed();
    await waitAvailable(f.kc);
    await app.stop();
    await kubeRequest(f.kc, 'DELETE', configPath);
    await expect.poll(() => getDeployment(f.kc, f.ns), { timeout: 60_000 }).toBeUndefined();
    await expect.poll(() => get(f.kc, `/api/v1/namespaces/${f.ns}/services/image-registry`), { timeout: 60_000 }).toBeUndefined();
  });
});
