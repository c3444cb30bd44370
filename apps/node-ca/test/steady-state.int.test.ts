import type { Manager } from '@image-registry/controller-runtime';
import { kubeRequest, testKubeConfig } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Registry } from 'prom-client';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applyConfigMap,
  configMapData,
  createConfig,
  createNamespaces,
  createRegistryService,
  deleteSingletons,
  nodeCAConditions,
  startNodeCAApp,
  type TestNamespaces,
} from './support.ts';

let kc: KubeConfig;
let ns: TestNamespaces;
let app: { manager: Manager; registry: Registry } | undefined;

beforeAll(() => {
  kc = testKubeConfig();
});

beforeEach(async () => {
  await deleteSingletons(kc);
  ns = await createNamespaces(kc);
});

afterEach(async () => {
  await app?.manager.stop();
  app = undefined;
  await deleteSingletons(kc);
});

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
        await kubeRequest(kc, 'PATCH', `/api/v1/namespaces/${ns.namespace}`, { metadata: { labels: { touch: String(Date.now()) } } }, 'application/merge-patch+json');
        await expect.poll(() => reconciles(registry), { timeout: 30_000 }).toBeGreaterThanOrEqual(r + 2);
        return (await writes(registry)) - before;
      },
      { timeout: 90_000, interval: 500 },
    )
    .toBe(0);
}

describe('at steady state', () => {
  it('a reconcile of both controllers writes nothing', async () => {
    await createRegistryService(kc, ns.namespace);
    await applyConfigMap(kc, ns.namespace, 'serviceca', { 'service-ca.crt': 'CA' });
    await createConfig(kc, { managementState: 'Managed', storage: { emptyDir: {} } });
    app = await startNodeCAApp(kc, ns);
    await expect.poll(async () => Object.keys((await configMapData(kc, ns.namespace, 'image-registry-certificates')) ?? {}).length, { timeout: 60_000 }).toBe(2);
    await expect.poll(async () => (await nodeCAConditions(kc))['NodeCADaemonAvailable']?.status, { timeout: 120_000 }).toBe('True');
    await expectQuietReconciles(app.registry);
  });

  it('with nothing to distribute yet (no Service, no CA, no Config), a reconcile writes nothing either', async () => {
    app = await startNodeCAApp(kc, ns);
    await expect.poll(async () => (await configMapData(kc, ns.namespace, 'node-ca-hosts'))?.['hosts'], { timeout: 60_000 }).toBe('');
    await expectQuietReconciles(app.registry);
  });
});
