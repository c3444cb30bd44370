import { kubeRequest } from '@image-registry/testing';
import type { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  applyConfigMap,
  configMapData,
  createConfig,
  createRegistryService,
  nodeCAConditions,
  startNodeCAApp,
  useNodeCATest,
} from './support.ts';

const t = useNodeCATest();

async function counter(registry: Registry, name: string, match: (labels: Partial<Record<string, string | number>>) => boolean): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).filter((v) => match(v.labels)).reduce((n, v) => n + v.value, 0);
}

const writes = (r: Registry) => counter(r, 'rest_client_requests_total', (l) => ['create', 'update', 'patch', 'apply', 'delete'].includes(String(l['verb'])));
const reconciles = (r: Registry) => counter(r, 'controller_runtime_reconcile_total', () => true);

/** Reconciles of both controllers (queued by touching the operand namespace) send no write. */
async function expectQuietReconciles(registry: Registry): Promise<void> {
  // Wait until a quiet moment: no write for a while, judged by the counter staying put across reconciles.
  await expect
    .poll(
      async () => {
        const before = await writes(registry);
        const r = await reconciles(registry);
        // The operand namespace is watched by both controllers: a label change queues both keys.
        await kubeRequest(t.kc, 'PATCH', `/api/v1/namespaces/${t.ns.namespace}`, { metadata: { labels: { touch: String(Date.now()) } } }, 'application/merge-patch+json');
        await expect.poll(() => reconciles(registry), { timeout: 30_000 }).toBeGreaterThanOrEqual(r + 2);
        return (await writes(registry)) - before;
      },
      { timeout: 90_000, interval: 500 },
    )
    .toBe(0);
}

describe('at steady state', () => {
  it('a reconcile of both controllers writes nothing', async () => {
    await createRegistryService(t.kc, t.ns.namespace);
    await applyConfigMap(t.kc, t.ns.namespace, 'serviceca', { 'service-ca.crt': 'CA' });
    await createConfig(t.kc, { managementState: 'Managed', storage: { emptyDir: {} } });
    t.app = await startNodeCAApp(t.kc, t.ns);
    await expect.poll(async () => Object.keys((await configMapData(t.kc, t.ns.namespace, 'image-registry-certificates')) ?? {}).length, { timeout: 60_000 }).toBe(2);
    await expect.poll(async () => (await nodeCAConditions(t.kc))['NodeCADaemonAvailable']?.status, { timeout: 120_000 }).toBe('True');
    await expectQuietReconciles(t.app.registry);
  });

  it('with nothing to distribute yet (no Service, no CA, no Config), a reconcile writes nothing either', async () => {
    t.app = await startNodeCAApp(t.kc, t.ns);
    await expect.poll(async () => (await configMapData(t.kc, t.ns.namespace, 'node-ca-hosts'))?.['hosts'], { timeout: 60_000 }).toBe('');
    await expectQuietReconciles(t.app.registry);
  });
});
