import { BlobServiceClient } from '@azure/storage-blob';
import {
  createTestNamespace,
  testKubeConfig,
  useStorageEmulators,
  type Azurite,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

const start = async () => {
  const blobEndpoint = azurite.endpoint.replace(azurite.accountName, '{account}');
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
    await applyConfig(kc, { storage: { azure: { accountName: azurite.accountName } } });
    await start();
    await expect
      .poll(async () => (await getConfig(kc))?.status?.storage?.azure?.container, { timeout: 30_000 })
      .toBeDefined();
    const container = (await getConfig(kc))?.status?.storage?.azure?.container ?? '';
    await blobs.getContainerClient(container).getBlockBlobClient('docker/registry/v2/blobs/a').upload('x', 1);

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
});
