import { StorageManagementClient } from '@azure/arm-storage';
import type { AzureCredentials } from '../../credentials/azure.ts';
import type { AzureCloud } from './clouds.ts';
import { azureTokenCredential } from './identity.ts';

/**
 * The storage-account operations the Azure driver needs from Azure Resource Manager. Only this
 * interface is unit-tested (no emulator speaks ARM); {@link armStorageAccounts} is the thin adapter
 * over @azure/arm-storage.
 */
export interface AzureStorageAccounts {
  /** The account's tags, or undefined when it does not exist. */
  get(resourceGroup: string, account: string): Promise<{ tags: Record<string, string> } | undefined>;
  /** Whether the (globally unique) name can still be taken. */
  nameAvailable(account: string): Promise<boolean>;
  create(
    resourceGroup: string,
    account: string,
    opts: { location: string; tags: Record<string, string> },
  ): Promise<void>;
  /** The first account key. */
  primaryKey(resourceGroup: string, account: string): Promise<string>;
  /** Deletes the account; resolves also when it was already gone. */
  delete(resourceGroup: string, account: string): Promise<void>;
}

type ServicePrincipal = Extract<AzureCredentials, { kind: 'servicePrincipal' }>;

export class AzureArmError extends Error {
  override name = 'AzureArmError';
}

export function statusOf(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown }).statusCode;
  return typeof s === 'number' ? s : undefined;
}

/**
 * Storage accounts through @azure/arm-storage (Kind StorageV2, Standard_LRS, HTTPS only, TLS 1.2, no
 * public blobs). Shared-key access stays on: the operator and the registry use the account key.
 */
export function armStorageAccounts(
  creds: ServicePrincipal,
  cloud: AzureCloud,
  signal?: AbortSignal,
): AzureStorageAccounts {
  const o = { abortSignal: signal };
  if (!cloud.armCloud)
    throw new AzureArmError(
      'creating storage accounts is not supported in this Azure cloud; give spec.storage.azure.accountName and an account key',
    );
  const client = new StorageManagementClient(azureTokenCredential(creds, cloud), creds.subscriptionId, {
    cloudSetting: cloud.armCloud,
  });
  return {
    async get(rg, account) {
      try {
        const props = await client.storageAccounts.getProperties(rg, account, o);
        return { tags: props.tags ?? {} };
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    },
    async nameAvailable(account) {
      const r = await client.storageAccounts.checkNameAvailability(
        {
          name: account,
          type: 'Microsoft.Storage/storageAccounts',
        },
        o,
      );
      return r.nameAvailable === true;
    },
    async create(rg, account, opts) {
      await client.storageAccounts.create(
        rg,
        account,
        {
          sku: { name: 'Standard_LRS' },
          kind: 'StorageV2',
          location: opts.location,
          tags: opts.tags,
          enableHttpsTrafficOnly: true,
          allowBlobPublicAccess: false,
          minimumTlsVersion: 'TLS1_2',
        },
        o,
      );
    },
    async primaryKey(rg, account) {
      const r = await client.storageAccounts.listKeys(rg, account, o);
      const key = r.keys?.[0]?.value;
      if (!key) throw new AzureArmError(`storage account ${account} has no keys`);
      return key;
    },
    async delete(rg, account) {
      try {
        await client.storageAccounts.delete(rg, account, o);
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
    },
  };
}
