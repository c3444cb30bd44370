import { BlobServiceClient } from '@azure/storage-blob';
import {
  createTestNamespace,
  testKubeConfig,
  useStorageEmulators,
  type Azurite,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { startHoldingFront } from './net.ts';
import {
  applyConfig,
  deleteConfig,
  getConfig,
  patchConfig,
  putSecret,
  readSecret,
  startStorageApp,
  storageConditions,
  testInfrastructureName,
  type StorageApp,
} from './support.ts';

let kc: KubeConfig;
let azurite: Azurite;
let blobs: BlobServiceClient;
let namespace: string;
let infra: string;
let app: StorageApp | undefined;
const emulators = useStorageEmulators();

beforeAll(async () => {
  kc = testKubeConfig();
  azurite = await emulators.azurite();
  blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
});

beforeEach(async () => {
  await deleteConfig(kc);
  namespace = await createTestNamespace(kc, 'storage-azure');
  infra = testInfrastructureName();
  await putSecret(kc, namespace, 'image-registry-private-configuration-user', {
    REGISTRY_STORAGE_AZURE_ACCOUNTKEY: azurite.accountKey,
  });
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
  await deleteConfig(kc);
});

/** The app, talking to Azurite directly or through a front at `front` (`http://127.0.0.1:<port>`). */
const start = async (front?: string) => {
  const direct = azurite.endpoint.replace(azurite.accountName, '{account}');
  const blobEndpoint = front ? `${front}/{account}` : direct;
  app = await startStorageApp(kc, {
    namespace,
    infrastructureName: infra,
    drivers: { azureBlobEndpoint: blobEndpoint },
  });
};
const containers = async () => {
  const names: string[] = [];
  for await (const c of blobs.listContainers()) names.push(c.name);
  return names;
};
const blobNames = async (container: string) => {
  const names: string[] = [];
  for await (const b of blobs.getContainerClient(container).listBlobsFlat()) names.push(b.name);
  return names;
};

/** A Managed container the app created (through `front`, if given) and published, with a blob in it. */
async function containerWithBlob(front?: string): Promise<string> {
  await applyConfig(kc, { storage: { azure: { accountName: azurite.accountName } } });
  await start(front);
  await expect
    .poll(async () => (await getConfig(kc))?.status?.storage?.azure?.container, { timeout: 30_000 })
    .toBeDefined();
  const container = (await getConfig(kc))?.status?.storage?.azure?.container ?? '';
  await blobs.getContainerClient(container).getBlockBlobClient('docker/registry/v2/blobs/a').upload('x', 1);
  return container;
}

describe('Azure Blob on Azurite, with the account key of the -user secret', () => {
  it('creates a container under a generated name in the given account and publishes the key', async () => {
    await applyConfig(kc, { storage: { azure: { accountName: azurite.accountName } } });
    await start();

    await expect
      .poll(() => storageConditions(kc), { timeout: 30_000 })
      .toEqual({
        StorageExists: { status: 'True', reason: 'ContainerExists', message: 'Storage container exists' },
        StorageControllerDegraded: { status: 'False', reason: 'AsExpected', message: '' },
      });
    const config = await getConfig(kc);
    const container = config?.spec?.storage?.azure?.container ?? '';
    expect(container).toMatch(new RegExp(`^${infra}-image-registry-[a-y]+$`));
    expect(config?.spec?.storage?.managementState).toBe('Managed');
    expect(config?.status?.storage).toEqual({
      managementState: 'Managed',
      azure: { accountName: azurite.accountName, container, networkAccess: { type: 'External' } },
    });
    expect(await containers()).toContain(container);
    expect(await readSecret(kc, namespace, 'image-registry-private-configuration')).toEqual({
      REGISTRY_STORAGE_AZURE_ACCOUNTKEY: azurite.accountKey,
    });
  });

  it('deletes its container with the blobs in it on Removed', async () => {
    const container = await containerWithBlob();

    await patchConfig(kc, { spec: { managementState: 'Removed' } });
    await expect.poll(containers, { timeout: 30_000 }).not.toContain(container);
    await expect
      .poll(async () => (await storageConditions(kc))['StorageExists'], { timeout: 30_000 })
      .toEqual({
        status: 'False',
        reason: 'ContainerDeleted',
        message: 'Storage container has been deleted',
      });
  });

  it("uses an existing container as the user's (Unmanaged) and keeps it and its blobs on Removed", async () => {
    const container = `${infra}-users-container`;
    await blobs.createContainer(container);
    await blobs.getContainerClient(container).getBlockBlobClient('keep-me').upload('x', 1);
    await applyConfig(kc, { storage: { azure: { accountName: azurite.accountName, container } } });
    await start();

    await expect
      .poll(async () => (await storageConditions(kc))['StorageExists'], { timeout: 30_000 })
      .toEqual({
        status: 'True',
        reason: 'UserManaged',
        message: 'Storage is managed by the user',
      });
    expect((await getConfig(kc))?.spec?.storage?.managementState).toBe('Unmanaged');

    await patchConfig(kc, { spec: { managementState: 'Removed' } });
    await expect.poll(async () => (await getConfig(kc))?.status?.storage, { timeout: 30_000 }).toEqual({});
    expect(await blobNames(container)).toEqual(['keep-me']);
  });

  it('a deposed leader abandons the container delete it has in flight, and the next leader finishes', async () => {
    // Deleting a container is one request: the front holds it back until the test has acted.
    const containerDelete = (method: string, url: string) =>
      method === 'DELETE' && url.includes('restype=container');
    const front = await startHoldingFront(
      azurite.endpoint.slice(0, azurite.endpoint.lastIndexOf('/')),
      containerDelete,
    );
    onTestFinished(() => front.close());
    const container = await containerWithBlob(front.endpoint);

    await patchConfig(kc, { spec: { managementState: 'Removed' } });
    await expect.poll(() => front.held(), { timeout: 60_000 }).toBe(1);
    // What losing the lease does: the reconcile's signal aborts while the delete is in flight. A call that
    // takes the signal gives up at once and closes its connection; one that does not keeps waiting.
    const stopped = app?.controller.stop({ graceMs: 0 });
    try {
      await expect.poll(() => front.abandoned(), { timeout: 60_000 }).toBe(1);
    } finally {
      // Sends on only what a client still waits for (so a failing run ends too).
      front.release();
      await stopped;
    }

    // The aborted call ended the removal there: the container is still there, and still published.
    expect(await containers()).toContain(container);
    expect((await getConfig(kc))?.status?.storage?.azure?.container).toBe(container);
    expect((await storageConditions(kc))['StorageExists']).toMatchObject({
      status: 'True',
      reason: 'ContainerExists',
    });

    // The next leader resumes and finishes the removal.
    await app?.stop();
    await start();
    await expect.poll(containers, { timeout: 60_000 }).not.toContain(container);
    await expect.poll(async () => (await getConfig(kc))?.status?.storage, { timeout: 60_000 }).toEqual({});
  });
});
