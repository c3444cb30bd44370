import { createTestNamespace, kubeRequest, testKubeConfig } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applyConfig,
  configPath,
  deleteConfig,
  fieldManager,
  getConfig,
  patchConfig,
  startStorageApp,
  storageConditions,
  testInfrastructureName,
  type StorageApp,
  type StorageAppOptions,
} from './support.ts';

// status.storage is what the registry runs on: a write by anyone else is drift, and the storage app puts
// its own value back. Its read-your-own-writes (OwnWrites, StatusWriter) must not mistake the write it
// remembers for the truth once someone has written after it (issue #12).

let kc: KubeConfig;
let namespace: string;
let app: StorageApp | undefined;

beforeAll(() => {
  kc = testKubeConfig();
});

beforeEach(async () => {
  await deleteConfig(kc);
  namespace = await createTestNamespace(kc, 'storage-drift');
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
  await deleteConfig(kc);
});

const published = { managementState: 'Managed', emptyDir: {} };
const storageStatus = async () => (await getConfig(kc))?.status?.storage;

/** Starts the app on emptyDir and waits until it has published it. */
async function settled(extra: Partial<StorageAppOptions> = {}): Promise<void> {
  await applyConfig(kc, { storage: { emptyDir: {} } });
  app = await startStorageApp(kc, { namespace, infrastructureName: testInfrastructureName(), ...extra });
  await expect
    .poll(async () => (await storageConditions(kc))['StorageExists']?.status, { timeout: 30_000 })
    .toBe('True');
  await expect.poll(storageStatus, { timeout: 30_000 }).toEqual(published);
}

/** Someone else (another controller, a stray script) overwrites a field of status.storage. */
async function foreignWrite(): Promise<void> {
  await kubeRequest(
    kc,
    'PATCH',
    `${configPath}/status?fieldManager=someone-else`,
    { status: { storage: { managementState: 'Unmanaged' } } },
    'application/merge-patch+json',
  );
  expect(await storageStatus()).toEqual({ managementState: 'Unmanaged', emptyDir: {} });
}

const owner = async (field: string) =>
  (await getConfig(kc))?.metadata?.managedFields?.find(
    (f) => f.subresource === 'status' && JSON.stringify(f.fieldsV1 ?? {}).includes(`"f:${field}"`),
  )?.manager;

describe('status.storage drift', () => {
  it('is written back at the next reconcile, even while the app still remembers its own last write', async () => {
    await settled();
    // Right after the app's last write: nothing has read through its memory of that write since.
    await foreignWrite();
    // A spec change storage does not read: it reconciles, and its cache has the foreign write by then
    // (one watch stream, in order).
    await patchConfig(kc, { spec: { replicas: 2 } });
    await expect.poll(storageStatus, { timeout: 60_000 }).toEqual(published);
    expect(await owner('managementState')).toBe(fieldManager);
  });

  it('is written back by the periodic check when no other event comes', async () => {
    await settled({ resyncMs: 2_000 });
    await foreignWrite();
    await expect.poll(storageStatus, { timeout: 60_000 }).toEqual(published);
  });
});
