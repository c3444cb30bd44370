import type { Manager } from '@image-registry/controller-runtime';
import { createTestNamespace, kubeRequest, testKubeConfig } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Registry } from 'prom-client';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configMissingMessage } from '../src/render/cluster-operator.ts';
import {
  healthyAvailableMessage,
  healthyProgressingMessage,
  nodeCA,
  pruner,
  storage,
  workload,
} from './fixtures/conditions.ts';
import {
  applyConfigStatus,
  applyPruner,
  clusterOperatorConditions,
  clusterOperatorPath,
  createConfig,
  createRegistryDeployment,
  deleteSingletons,
  getClusterOperator,
  managers,
  startStatusApp,
} from './support.ts';

// Config/cluster, ImagePruner/cluster and ClusterOperator/image-registry are cluster-scoped singletons:
// every test starts without them and removes them again. The registry Deployment lives in a fresh
// namespace per test, which the app is told is the operand namespace.
let kc: KubeConfig;
let namespace: string;
let app: { manager: Manager; registry: Registry } | undefined;

beforeAll(() => {
  kc = testKubeConfig();
});

beforeEach(async () => {
  await deleteSingletons(kc);
  namespace = await createTestNamespace(kc, 'status');
});

afterEach(async () => {
  await app?.manager.stop();
  app = undefined;
  await deleteSingletons(kc);
});

async function healthyCluster(): Promise<void> {
  await createConfig(kc, 'Managed');
  await applyConfigStatus(kc, managers.storage, storage.ready(), {
    storage: { emptyDir: {} },
    storageManaged: false,
  });
  await applyConfigStatus(kc, managers.workload, workload.ready());
  await applyConfigStatus(kc, managers.nodeCA, nodeCA.ready());
  await applyPruner(kc, pruner.ready());
}

describe('ClusterOperator image-registry', () => {
  it('reports a healthy registry with upstream texts, reason Ready and the rolled-out version', async () => {
    await healthyCluster();
    await createRegistryDeployment(kc, namespace, '4.99.1');
    app = await startStatusApp(kc, { namespace });

    await expect
      .poll(() => clusterOperatorConditions(kc), { timeout: 30_000 })
      .toEqual([
        { type: 'Available', status: 'True', reason: 'Ready', message: healthyAvailableMessage },
        { type: 'Progressing', status: 'False', reason: 'Ready', message: healthyProgressingMessage },
        { type: 'Degraded', status: 'False', reason: 'AsExpected' },
      ]);
    // kwok runs the registry pod to Ready; only then is the Deployment's version reported.
    await expect
      .poll(async () => (await getClusterOperator(kc))?.status?.versions, { timeout: 60_000 })
      .toEqual([{ name: 'operator', version: '4.99.1' }]);
    const co = await getClusterOperator(kc);
    expect(co?.status?.relatedObjects).toContainEqual({ group: '', resource: 'namespaces', name: namespace });
    expect(co?.status?.relatedObjects?.map((r) => r.resource)).toEqual([
      'configs',
      'imagepruners',
      'clusterroles',
      'clusterrolebindings',
      'clusterrolebindings',
      'namespaces',
    ]);
  });

  it('reports Removed, and the release version at once, when the registry is removed', async () => {
    await createConfig(kc, 'Removed');
    await applyConfigStatus(kc, managers.workload, workload.removed());
    await applyConfigStatus(kc, managers.nodeCA, nodeCA.ready());
    await applyPruner(kc, pruner.ready());
    app = await startStatusApp(kc, { namespace, releaseVersion: '4.99.2' });

    await expect
      .poll(() => clusterOperatorConditions(kc), { timeout: 30_000 })
      .toEqual([
        {
          type: 'Available',
          status: 'True',
          reason: 'Removed',
          message:
            'Available: The registry is removed\n' +
            'NodeCADaemonAvailable: The daemon set node-ca has available replicas\n' +
            'ImagePrunerAvailable: Pruner CronJob has been created',
        },
        {
          type: 'Progressing',
          status: 'False',
          reason: 'Removed',
          message:
            'Progressing: All registry resources are removed\nNodeCADaemonProgressing: The daemon set node-ca is deployed',
        },
        {
          type: 'Degraded',
          status: 'False',
          reason: 'Removed',
          message: 'Degraded: The registry is removed',
        },
      ]);
    expect((await getClusterOperator(kc))?.status?.versions).toEqual([
      { name: 'operator', version: '4.99.2' },
    ]);
    // OpenShift's controller-manager operator tells "removed" from conditions[0].reason.
    expect((await getClusterOperator(kc))?.status?.conditions?.[0]?.reason).toBe('Removed');
    expect(await app.registry.metrics()).toContain(
      'image_registry_condition{type="Removed",status="True"} 1',
    );
  });

  it('reports Unmanaged when the registry is unmanaged', async () => {
    await createConfig(kc, 'Unmanaged');
    await applyConfigStatus(kc, managers.workload, workload.unmanaged());
    app = await startStatusApp(kc, { namespace });

    const unmanaged = (type: string) => `${type}: The registry configuration is set to unmanaged mode`;
    await expect
      .poll(() => clusterOperatorConditions(kc), { timeout: 30_000 })
      .toEqual([
        { type: 'Available', status: 'True', reason: 'Unmanaged', message: unmanaged('Available') },
        { type: 'Progressing', status: 'False', reason: 'Unmanaged', message: unmanaged('Progressing') },
        { type: 'Degraded', status: 'False', reason: 'Unmanaged', message: unmanaged('Degraded') },
      ]);
  });

  it('reports Degraded and unavailable with the reason and message of every failing app', async () => {
    await createConfig(kc, 'Managed');
    await applyConfigStatus(kc, managers.workload, workload.noReplicas());
    await applyConfigStatus(kc, managers.nodeCA, nodeCA.failing());
    await applyPruner(kc, pruner.jobFailed());
    app = await startStatusApp(kc, { namespace });

    await expect
      .poll(() => clusterOperatorConditions(kc), { timeout: 30_000 })
      .toEqual([
        {
          type: 'Available',
          status: 'False',
          reason: 'NoReplicasAvailable::NodeCADaemonNoAvailableReplicas',
          message:
            'Available: The deployment does not have available replicas\n' +
            'NodeCADaemonAvailable: The daemon set node-ca does not have available replicas\n' +
            'ImagePrunerAvailable: Pruner CronJob has been created',
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: 'DeploymentNotCompleted',
          message:
            'Progressing: The deployment has not completed\nNodeCADaemonProgressing: The daemon set node-ca is deployed',
        },
        {
          type: 'Degraded',
          status: 'True',
          reason: 'ImagePrunerJobFailed::NodeCADaemonControllerError::Unavailable',
          message:
            'Degraded: The deployment does not have available replicas\n' +
            'NodeCADaemonControllerDegraded: failed to apply daemonset: forbidden\n' +
            'NodeCADaemonControllerDegraded: retrying\n' +
            'ImagePrunerDegraded: Job has reached the specified backoff limit',
        },
      ]);
    // No version is claimed for a Managed registry whose Deployment does not exist.
    expect((await getClusterOperator(kc))?.status?.versions).toBeUndefined();
  });

  it('says the configuration is missing while Config/cluster does not exist, then follows it once created', async () => {
    app = await startStatusApp(kc, { namespace });
    await expect
      .poll(() => clusterOperatorConditions(kc), { timeout: 30_000 })
      .toEqual(
        ['Available', 'Progressing', 'Degraded'].map((type) => ({
          type,
          status: 'Unknown',
          reason: 'ConfigMissing',
          message: configMissingMessage,
        })),
      );

    await healthyCluster();
    await expect
      .poll(async () => (await clusterOperatorConditions(kc)).map((c) => [c.type, c.status, c.reason]), {
        timeout: 30_000,
      })
      .toEqual([
        ['Available', 'True', 'Ready'],
        ['Progressing', 'False', 'Ready'],
        ['Degraded', 'False', 'AsExpected'],
      ]);
  });

  it('re-creates the ClusterOperator when it is deleted and repairs a status someone else edited', async () => {
    await healthyCluster();
    app = await startStatusApp(kc, { namespace });
    await expect
      .poll(async () => (await getClusterOperator(kc))?.status?.conditions?.[0]?.reason, { timeout: 30_000 })
      .toBe('Ready');

    const before = await getClusterOperator(kc);
    await kubeRequest(kc, 'DELETE', clusterOperatorPath);
    await expect
      .poll(
        async () => {
          const co = await getClusterOperator(kc);
          return co && co.metadata?.uid !== before?.metadata?.uid
            ? co.status?.conditions?.map((c) => c.reason)
            : undefined;
        },
        { timeout: 30_000 },
      )
      .toEqual(['Ready', 'Ready', 'AsExpected']);

    await kubeRequest(
      kc,
      'PATCH',
      `${clusterOperatorPath}/status`,
      {
        status: {
          conditions: [
            {
              type: 'Available',
              status: 'False',
              reason: 'Edited',
              lastTransitionTime: '2020-01-01T00:00:00Z',
            },
          ],
        },
      },
      'application/merge-patch+json',
    );
    await expect
      .poll(async () => (await clusterOperatorConditions(kc))[0], { timeout: 30_000 })
      .toEqual({
        type: 'Available',
        status: 'True',
        reason: 'Ready',
        message: healthyAvailableMessage,
      });
  });

  it('moves a transition time only when a status changes', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    await healthyCluster();
    app = await startStatusApp(kc, { namespace, now: () => now });
    await expect
      .poll(async () => (await clusterOperatorConditions(kc))[0]?.reason, { timeout: 30_000 })
      .toBe('Ready');
    const times = async () =>
      (await getClusterOperator(kc))?.status?.conditions?.map((c) => c.lastTransitionTime);
    expect(await times()).toEqual(['2030-01-01T00:00:00Z', '2030-01-01T00:00:00Z', '2030-01-01T00:00:00Z']);

    // Same status, new reason and message: the texts follow, the times stay.
    now = new Date('2030-01-02T00:00:00Z');
    const minimum = workload
      .ready()
      .map((c) =>
        c.type === 'Available'
          ? { ...c, reason: 'MinimumAvailability', message: 'The registry has minimum availability' }
          : c,
      );
    await applyConfigStatus(kc, managers.workload, minimum);
    await expect
      .poll(async () => (await clusterOperatorConditions(kc))[0]?.reason, { timeout: 30_000 })
      .toBe('MinimumAvailability');
    expect(await times()).toEqual(['2030-01-01T00:00:00Z', '2030-01-01T00:00:00Z', '2030-01-01T00:00:00Z']);

    // Available turns False: its time moves, the others' stay.
    now = new Date('2030-01-03T00:00:00Z');
    const unavailable = workload
      .ready()
      .map((c) =>
        c.type === 'Available'
          ? {
              ...c,
              status: 'False' as const,
              reason: 'NoReplicasAvailable',
              message: 'The deployment does not have available replicas',
            }
          : c,
      );
    await applyConfigStatus(kc, managers.workload, unavailable);
    await expect
      .poll(async () => (await clusterOperatorConditions(kc))[0]?.status, { timeout: 30_000 })
      .toBe('False');
    expect(await times()).toEqual(['2030-01-03T00:00:00Z', '2030-01-01T00:00:00Z', '2030-01-01T00:00:00Z']);
  });
});
