import type { AzureStorage } from '../../storage-types.ts';
import { StorageError, storageExistsCondition } from '../driver.ts';
import { azureCloud, type AzureCloud } from './clouds.ts';

/** The account and container a completed config names; a config without them only the admin can fix. */
export function azureNames(config: AzureStorage): { account: string; container: string } {
  const account = config.accountName ?? '';
  const container = config.container ?? '';
  if (!account || !container) {
    const message = !account
      ? 'Storage account key is provided, but account name is not specified: set spec.storage.azure.accountName'
      : 'Storage account is provided, but container is not specified';
    throw new StorageError(message, {
      conditions: [storageExistsCondition('False', 'StorageNotConfigured', message)],
      retriable: false,
    });
  }
  return { account, container };
}

/** The Azure environment of `cloudName`; an unknown name only the admin can fix. */
export function azureCloudOf(config: AzureStorage): AzureCloud {
  const cloud = azureCloud(config.cloudName);
  if (!cloud) {
    const message = `Unable to get cloud environment: unknown cloudName "${config.cloudName}"`;
    throw new StorageError(message, {
      conditions: [storageExistsCondition('Unknown', 'ConfigError', message)],
      retriable: false,
    });
  }
  return cloud;
}
