import { createTestNamespace, kubeRequest, testKubeConfig } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applyConfig,
  deleteConfig,
  patchConfig,
  startStorageApp,
  storageConditions,
  testInfrastructureName,
  type StorageApp,
} from './support.ts';

let kc: KubeConfig;
let namespace: string;
let app: StorageApp | undefined;

beforeAll(() => {
  kc = testKubeConfig();
});

beforeEach(async () => {
  await deleteConfig(kc);
  namespace = await createTestNamespace(kc, 'storage-quiet');
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
  await deleteConfig(kc);
});

async function metricSum(
  name: string,
  match: (labels: Partial<Record<string, string | number>>) => boolean,
): Promise<number> {
  const m = await app?.manager.registry.getSingleMetric(name)?.get();
  return (m?.values ?? []).filter((v) => match(v.labels)).reduce((n, v) => n + v.value, 0);
}

const writeVerbs = new Set(['create', 'update', 'patch', 'apply', 'delete']);
const writes = () => metricSum('rest_client_requests_total', (l) => writeVerbs.has(String(l['verb'])));
const reconciles = () =>
  metricSum('controller_runtime_reconcile_total', (l) => l['controller'] === 'storage');
const idle = async () =>
  (await metricSum('controller_runtime_active_workers', (l) => l['controller'] === 'storage')) === 0 &&
  (await metricSum('workqueue_depth', (l) => l['controller'] === 'storage' || l['name'] === 'storage')) === 0;

/** Makes a spec change storage does not read, and returns the writes of the pass it caused. */
async function writesForUnrelatedChange(replicas: number): Promise<number> {
  // Nothing queued or running: the next pass is the one this change causes.
  await expect.poll(idle, { timeout: 30_000 }).toBe(true);
  const before = await writes();
  const done = await reconciles();
  await patchConfig(kc, { spec: { replicas } });
  await expect
    .poll(async () => (await reconciles()) > done && (await idle()), { timeout: 30_000 })
    .toBe(true);
  return (await writes()) - before;
}

describe('a change that is not about storage', () => {
  it('costs storage no write: not its Secret, not its status, not the spec', async () => {
    await applyConfig(kc, { storage: { emptyDir: {} } });
    app = await startStorageApp(kc, { namespace, infrastructureName: testInfrastructureName() });
    await expect
      .poll(async () => (await storageConditions(kc))['StorageExists']?.status, { timeout: 30_000 })
      .toBe('True');
    const secret = await kubeRequest<{ data?: Record<string, string> }>(
      kc,
      'GET',
      `/api/v1/namespaces/${namespace}/secrets/image-registry-private-configuration`,
    );
    // emptyDir has no credentials: the Secret exists, empty.
    expect(secret.data ?? {}).toEqual({});
    expect(await writesForUnrelatedChange(2)).toBe(0);
    expect(await writesForUnrelatedChange(1)).toBe(0);
  });
});
