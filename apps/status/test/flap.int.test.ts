import { KubeClient, type Manager } from '@image-registry/controller-runtime';
import { createTestNamespace, kubeRequest, testKubeConfig } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Registry } from 'prom-client';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClusterOperatorResource, type ClusterOperatorObject } from '../src/resources.ts';
import { nodeCA, pruner, storage, workload } from './fixtures/conditions.ts';
import {
  applyConfigStatus,
  applyPruner,
  clusterOperatorPath,
  createConfig,
  deleteSingletons,
  getClusterOperator,
  managers,
  startStatusApp,
} from './support.ts';

let kc: KubeConfig;
let namespace: string;
let app: { manager: Manager; registry: Registry } | undefined;
let stopWatch: AbortController | undefined;

beforeAll(() => {
  kc = testKubeConfig();
});

beforeEach(async () => {
  await deleteSingletons(kc);
  namespace = await createTestNamespace(kc, 'status-flap');
  await createConfig(kc, 'Managed');
  await applyConfigStatus(kc, managers.storage, storage.ready(), {
    storage: { emptyDir: {} },
    storageManaged: false,
  });
  await applyConfigStatus(kc, managers.workload, workload.ready());
  await applyConfigStatus(kc, managers.nodeCA, nodeCA.ready());
  await applyPruner(kc, pruner.ready());
  app = await startStatusApp(kc, { namespace });
  await expect
    .poll(async () => (await getClusterOperator(kc))?.status?.conditions?.[0]?.reason, { timeout: 30_000 })
    .toBe('Ready');
});

afterEach(async () => {
  stopWatch?.abort();
  await app?.manager.stop();
  app = undefined;
  await deleteSingletons(kc);
});

/** Every change of the ClusterOperator after `resourceVersion`, as the API server's watch reports it. */
function watchClusterOperator(fromResourceVersion: string): ClusterOperatorObject[] {
  const seen: ClusterOperatorObject[] = [];
  stopWatch = new AbortController();
  const client = new KubeClient({ kubeConfig: kc, fieldManager: 'status-tests' });
  void client
    .watch(
      ClusterOperatorResource,
      {
        resourceVersion: fromResourceVersion,
        fieldSelector: 'metadata.name=image-registry',
        signal: stopWatch.signal,
      },
      (ev) => {
        if (ev.type === 'MODIFIED') seen.push(ev.object as ClusterOperatorObject);
      },
    )
    .catch(() => undefined);
  return seen;
}

/** NodeCADaemonAvailable as node-ca writes it when its DaemonSet has (or has no) available pods. */
function nodeCAConditions(available: boolean) {
  return nodeCA
    .ready()
    .map((c) =>
      c.type === 'NodeCADaemonAvailable' && !available
        ? {
            ...c,
            status: 'False' as const,
            reason: 'NoAvailableReplicas',
            message: 'The daemon set node-ca does not have available replicas',
          }
        : c,
    );
}

/** Marks the ClusterOperator so the watch shows where the changes under test end. */
async function sentinel(seen: ClusterOperatorObject[], value: string): Promise<number> {
  await kubeRequest(
    kc,
    'PATCH',
    clusterOperatorPath,
    { metadata: { labels: { 'status-test-sentinel': value } } },
    'application/merge-patch+json',
  );
  await expect
    .poll(() => seen.findIndex((co) => co.metadata?.labels?.['status-test-sentinel'] === value), {
      timeout: 30_000,
    })
    .toBeGreaterThanOrEqual(0);
  return seen.findIndex((co) => co.metadata?.labels?.['status-test-sentinel'] === value);
}

/** Server-side applies the app sent (skipped no-op applies send nothing). */
async function applies(registry: Registry): Promise<number> {
  const metric = await registry.getSingleMetric('rest_client_requests_total')?.get();
  return (metric?.values ?? []).filter((v) => v.labels['verb'] === 'apply').reduce((n, v) => n + v.value, 0);
}

async function reconciles(registry: Registry): Promise<number> {
  const metric = await registry.getSingleMetric('controller_runtime_reconcile_total')?.get();
  return (metric?.values ?? [])
    .filter((v) => v.labels['controller'] === 'cluster-operator')
    .reduce((n, v) => n + v.value, 0);
}

describe('ClusterOperator writes under flapping inputs', () => {
  it('writes the ClusterOperator exactly once per change while a condition flips 50 times', async () => {
    const registry = app?.registry;
    if (!registry) throw new Error('the status app did not start');
    const start = (await getClusterOperator(kc))?.metadata?.resourceVersion ?? '';
    const seen = watchClusterOperator(start);
    const appliesBefore = await applies(registry);

    for (let i = 1; i <= 50; i++) {
      const available = i % 2 === 0;
      await applyConfigStatus(kc, managers.nodeCA, nodeCAConditions(available));
      await expect
        .poll(async () => (await getClusterOperator(kc))?.status?.conditions?.[0]?.status, {
          timeout: 30_000,
        })
        .toBe(available ? 'True' : 'False');
    }

    const end = await sentinel(seen, 'end');
    expect(end).toBe(50);
    // Not even a request that changes nothing: the app applied once per change.
    expect((await applies(registry)) - appliesBefore).toBe(50);
    // Each write changed Available's status and nothing else but its texts and time.
    expect(seen.slice(0, 50).map((co) => co.status?.conditions?.[0]?.status)).toEqual(
      Array.from({ length: 50 }, (_, i) => ((i + 1) % 2 === 0 ? 'True' : 'False')),
    );
  });

  it('coalesces a burst of flips into at most one write per change and settles on the last state', async () => {
    const start = (await getClusterOperator(kc))?.metadata?.resourceVersion ?? '';
    const seen = watchClusterOperator(start);

    for (let i = 1; i <= 50; i++) await applyConfigStatus(kc, managers.nodeCA, nodeCAConditions(i % 2 === 0));
    // The last flip left NodeCADaemonAvailable True: the registry is healthy again.
    await expect
      .poll(async () => (await getClusterOperator(kc))?.status?.conditions?.[0]?.message, { timeout: 30_000 })
      .toContain('NodeCADaemonAvailable: The daemon set node-ca has available replicas');
    const end = await sentinel(seen, 'end');
    expect(end).toBeLessThanOrEqual(50);
  });

  it('does not write again once the ClusterOperator shows the inputs (no hot loop)', async () => {
    const registry = app?.registry;
    if (!registry) throw new Error('the status app did not start');
    const start = (await getClusterOperator(kc))?.metadata?.resourceVersion ?? '';
    const seen = watchClusterOperator(start);
    const before = await reconciles(registry);
    const appliesBefore = await applies(registry);

    // The sentinel itself is a ClusterOperator event: the app reconciles it and must find nothing to do.
    const first = await sentinel(seen, 'one');
    await expect.poll(() => reconciles(registry), { timeout: 30_000 }).toBeGreaterThan(before);
    // So is a Config change that does not touch the aggregated conditions.
    const storageOnly = storage
      .ready()
      .map((c) => (c.type === 'StorageExists' ? { ...c, message: 'EmptyDir storage exists' } : c));
    const afterSentinel = await reconciles(registry);
    await applyConfigStatus(kc, managers.storage, storageOnly, {
      storage: { emptyDir: {} },
      storageManaged: false,
    });
    await expect.poll(() => reconciles(registry), { timeout: 30_000 }).toBeGreaterThan(afterSentinel);
    const second = await sentinel(seen, 'two');

    expect(first).toBe(0);
    expect(second).toBe(1);
    expect(await applies(registry)).toBe(appliesBefore);
  });
});
