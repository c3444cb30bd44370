import type { Condition } from '@image-registry/conditions';
import { KubeClient, Manager } from '@image-registry/controller-runtime';
import { applyYaml, kubeRequest, KubeRequestError } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { expect } from 'vitest';
import { setupClusterOperatorController } from '../src/cluster-operator.controller.ts';
import type { ClusterOperatorObject } from '../src/resources.ts';

export const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';
export const prunerPath = '/apis/imageregistry.operator.openshift.io/v1/imagepruners/cluster';
export const clusterOperatorPath = '/apis/config.openshift.io/v1/clusteroperators/image-registry';

/** The field manager of what a cluster admin writes (kubectl apply --server-side). */
export const adminManager = 'cluster-admin';

/** Field managers of the apps whose conditions the fixtures impersonate. */
export const managers = {
  workload: 'image-registry-operator/registry-workload',
  nodeCA: 'image-registry-operator/node-ca',
  storage: 'image-registry-operator/storage',
  pruner: 'image-registry-operator/pruner',
} as const;

/** The status app in this process: a manager without leader election or HTTP server. */
export async function startStatusApp(
  kc: KubeConfig,
  opts: { namespace: string; releaseVersion?: string; leaderElectionNamespace?: string; now?: () => Date },
): Promise<{ manager: Manager; registry: Registry }> {
  const registry = new Registry();
  const client = new KubeClient({ kubeConfig: kc, fieldManager: 'image-registry-operator/status', registry });
  const manager = new Manager({
    name: 'status',
    client,
    leaderElection: opts.leaderElectionNamespace
      ? {
          namespace: opts.leaderElectionNamespace,
          leaseDurationMs: 4000,
          renewDeadlineMs: 3000,
          retryPeriodMs: 500,
        }
      : false,
    shutdownTimeoutMs: 10_000,
  });
  setupClusterOperatorController(manager, {
    namespace: opts.namespace,
    releaseVersion: opts.releaseVersion ?? '4.99.0-test',
    ...(opts.now ? { now: opts.now } : {}),
  });
  await manager.start();
  return { manager, registry };
}

/** Config/cluster with the given managementState, as a cluster admin writes it. */
export async function createConfig(kc: KubeConfig, managementState: string): Promise<void> {
  await applyYaml(
    kc,
    {
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      spec: { managementState, replicas: 1, storage: { emptyDir: {} } },
    },
    { fieldManager: adminManager },
  );
  // status.storage is required: the storage app publishes it before any other app writes status.
  await applyConfigStatus(kc, managers.storage, [], { storage: { emptyDir: {} }, storageManaged: false });
}

/** What one app applies to Config /status: its conditions (and any other status fields it owns). */
export async function applyConfigStatus(
  kc: KubeConfig,
  fieldManager: string,
  conditions: Condition[],
  extra: Record<string, unknown> = {},
): Promise<void> {
  await applyYaml(
    kc,
    {
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      status: { ...extra, conditions },
    },
    { fieldManager, subresource: 'status' },
  );
}

/** ImagePruner/cluster and its status conditions, as the pruner app writes them. */
export async function applyPruner(kc: KubeConfig, conditions: Condition[]): Promise<void> {
  const base = {
    apiVersion: 'imageregistry.operator.openshift.io/v1',
    kind: 'ImagePruner',
    metadata: { name: 'cluster' },
  };
  await applyYaml(
    kc,
    { ...base, spec: { schedule: '0 0 * * *', suspend: false } },
    { fieldManager: managers.pruner },
  );
  await applyYaml(
    kc,
    { ...base, status: { conditions } },
    { fieldManager: managers.pruner, subresource: 'status' },
  );
}

export async function getClusterOperator(kc: KubeConfig): Promise<ClusterOperatorObject | undefined> {
  try {
    return await kubeRequest<ClusterOperatorObject>(kc, 'GET', clusterOperatorPath);
  } catch (err) {
    if (err instanceof KubeRequestError && err.status === 404) return undefined;
    throw err;
  }
}

/** The ClusterOperator conditions without their times, for comparing with expectations. */
export async function clusterOperatorConditions(
  kc: KubeConfig,
): Promise<Omit<Condition, 'lastTransitionTime'>[]> {
  const co = await getClusterOperator(kc);
  return (co?.status?.conditions ?? []).map(({ lastTransitionTime: _t, ...rest }) => rest);
}

/**
 * Removes the cluster-scoped singletons a test made (Config/cluster, ImagePruner/cluster and
 * ClusterOperator/image-registry), finalizers included, and waits until they are gone.
 */
export async function deleteSingletons(kc: KubeConfig): Promise<void> {
  for (const path of [configPath, prunerPath, clusterOperatorPath]) {
    try {
      await kubeRequest(
        kc,
        'PATCH',
        path,
        { metadata: { finalizers: null } },
        'application/merge-patch+json',
      );
      await kubeRequest(kc, 'DELETE', path);
    } catch (err) {
      if (!(err instanceof KubeRequestError && err.status === 404)) throw err;
    }
  }
  await expect
    .poll(
      async () => {
        const gone = await Promise.all(
          [configPath, prunerPath, clusterOperatorPath].map((p) =>
            kubeRequest(kc, 'GET', p).then(
              () => false,
              (err: unknown) => err instanceof KubeRequestError && err.status === 404,
            ),
          ),
        );
        return gone.every(Boolean);
      },
      { timeout: 30_000 },
    )
    .toBe(true);
}

/** A registry Deployment (kwok's nodes run its pod to Ready), optionally annotated with its release. */
export async function createRegistryDeployment(
  kc: KubeConfig,
  namespace: string,
  version?: string,
): Promise<void> {
  await applyYaml(
    kc,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'image-registry',
        namespace,
        ...(version ? { annotations: { 'release.openshift.io/version': version } } : {}),
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { 'docker-registry': 'default' } },
        template: {
          metadata: { labels: { 'docker-registry': 'default' } },
          spec: { containers: [{ name: 'registry', image: 'registry.example/registry:fake' }] },
        },
      },
    },
    { fieldManager: managers.workload },
  );
}
