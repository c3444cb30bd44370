// Ours: upstream's Azure tests need Azure's networking (private endpoints, VNets) and no emulator speaks
// ARM. This one replays TestGCSDay2's shape on Azure Blob (Azurite): the admin's storage account and key
// (-user secret), a container the operator creates, uses, and deletes again on Removed.
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { azureContainerNames } from '@image-registry/testing';
import {
  ensureAvailable,
  ensureClusterOperatorNormal,
  ensureInternalRegistryHostnameIsSet,
  ensureNotHotLooping,
  freshConfig,
  teardown,
} from '../src/helpers.ts';
import {
  configStorage,
  createSecret,
  emulators,
  privateSecret,
  readSecret,
  registryEnv,
  userSecret,
} from '../src/storage.ts';

const azurite = emulators.azurite;

describe('Azure Blob (Azurite)', () => {
  afterEach(teardown);

  it('TestAzureUserStorageAccount', async () => {
    let container = '';
    // The container is the operator's (Managed): Removed in the teardown deletes it.
    onTestFinished(async () => expect(await azureContainerNames(azurite)).not.toContain(container));
    await createSecret(userSecret, { REGISTRY_STORAGE_AZURE_ACCOUNTKEY: azurite.accountKey });

    await freshConfig({ storage: { azure: { accountName: azurite.accountName } } });
    await ensureAvailable();
    await ensureInternalRegistryHostnameIsSet();
    await ensureClusterOperatorNormal();
    await ensureNotHotLooping();

    const { spec, status } = await configStorage();
    container = (status['azure'] as { container?: string }).container ?? '';
    expect(spec['managementState']).toBe('Managed');
    expect(await azureContainerNames(azurite)).toContain(container);
    expect((await readSecret(privateSecret))?.['REGISTRY_STORAGE_AZURE_ACCOUNTKEY']).toBe(azurite.accountKey);
    expect(await registryEnv()).toMatchObject({
      REGISTRY_STORAGE: 'azure',
      REGISTRY_STORAGE_AZURE_CONTAINER: container,
      REGISTRY_STORAGE_AZURE_ACCOUNTNAME: azurite.accountName,
    });
  });
});
