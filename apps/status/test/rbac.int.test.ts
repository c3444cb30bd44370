import type { Manager } from '@image-registry/controller-runtime';
import {
  applyYaml,
  createTestNamespace,
  kubeRequest,
  serviceAccountKubeConfig,
  shippedAppRbac,
  testKubeConfig,
  type Manifest,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { healthyAvailableMessage, nodeCA, pruner, storage, workload } from './fixtures/conditions.ts';
import {
  applyConfigStatus,
  applyPruner,
  clusterOperatorConditions,
  createConfig,
  createRegistryDeployment,
  deleteSingletons,
  getClusterOperator,
  managers,
  startStatusApp,
} from './support.ts';


let kc: KubeConfig;
let namespace: string;
let manager: Manager | undefined;
let clusterScoped: Manifest[] = [];

beforeAll(() => {
  kc = testKubeConfig();
});

beforeEach(async () => {
  await deleteSingletons(kc);
  namespace = await createTestNamespace(kc, 'status-rbac');
});

afterEach(async () => {
  await manager?.stop();
  manager = undefined;
  await deleteSingletons(kc);
  for (const m of clusterScoped) {
    const group = m.apiVersion.split('/')[0];
    const plural = m.kind === 'ClusterRole' ? 'clusterroles' : 'clusterrolebindings';
    await kubeRequest(
      kc,
      'DELETE',
      `/apis/${group}/v1/${plural}/${encodeURIComponent(m.metadata.name)}`,
    ).catch(() => undefined);
  }
  clusterScoped = [];
});

describe('the shipped RBAC', () => {
  it('is enough for the status app to create and report the ClusterOperator, with leader election', async () => {
    const manifests = shippedAppRbac('status', namespace);
    clusterScoped = manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding');
    await applyYaml(kc, manifests);
    const sa = manifests.find((m) => m.kind === 'ServiceAccount')?.metadata.name ?? '';

    await createConfig(kc, 'Managed');
    await applyConfigStatus(kc, managers.storage, storage.ready(), {
      storage: { emptyDir: {} },
      storageManaged: false,
    });
    await applyConfigStatus(kc, managers.workload, workload.ready());
    await applyConfigStatus(kc, managers.nodeCA, nodeCA.ready());
    await applyPruner(kc, pruner.ready());
    await createRegistryDeployment(kc, namespace, '4.99.3');

    manager = (
      await startStatusApp(await serviceAccountKubeConfig(kc, namespace, sa), {
        namespace,
        leaderElectionNamespace: namespace,
      })
    ).manager;

    await expect
      .poll(async () => (await clusterOperatorConditions(kc))[0], { timeout: 60_000 })
      .toEqual({
        type: 'Available',
        status: 'True',
        reason: 'Ready',
        message: healthyAvailableMessage,
      });
    await expect
      .poll(async () => (await getClusterOperator(kc))?.status?.versions, { timeout: 60_000 })
      .toEqual([{ name: 'operator', version: '4.99.3' }]);
    const lease = await kubeRequest<{ spec?: { holderIdentity?: string } }>(
      kc,
      'GET',
      `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/status-leader`,
    );
    expect(lease.spec?.holderIdentity).toBeTruthy();
  });
});
