import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { DesiredCondition } from '@image-registry/conditions';
import type { ClusterFacts } from '../cluster.ts';
import { AzureKeys, type AzureCredentials } from '../credentials.ts';
import { azureAccountName, mathRandomInt, randomStorageName, type RandomInt } from '../names.ts';
import { sameConfig } from '../same-config.ts';
import type { AzureStorage } from '../storage-types.ts';
import { armStorageAccounts, type AzureStorageAccounts } from './azure-arm.ts';
import { azureCloud, blobServiceUrl, type AzureCloud } from './azure-clouds.ts';
import {
  StorageError,
  errorMessage,
  storageExistsCondition,
  type Completion,
  type CreateResult,
  type ExistsResult,
  type RemoveResult,
  type StorageDriver,
  type StorageManagementState,
} from './driver.ts';

/** Blob-container operations in one account, authenticated with its key. */
export interface AzureBlobContainers {
  exists(container: string): Promise<boolean>;
  /** False when it already existed. */
  create(container: string): Promise<boolean>;
  /** Deletes the container and its blobs; false when it did not exist. */
  delete(container: string): Promise<boolean>;
}

export interface AzureDriverOptions {
  cluster: ClusterFacts;
  credentials: AzureCredentials;
  /** Blob service URL template with `{account}` (Azurite: `http://127.0.0.1:10000/{account}`); default from the cloud. */
  blobEndpoint?: string | undefined;
  containers?: (url: string, account: string, key: string) => AzureBlobContainers;
  accounts?: (
    creds: Extract<AzureCredentials, { kind: 'servicePrincipal' }>,
    cloud: AzureCloud,
  ) => AzureStorageAccounts;
  random?: RandomInt;
}

function statusOf(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown }).statusCode;
  return typeof s === 'number' ? s : undefined;
}

export function sharedKeyContainers(url: string, account: string, key: string): AzureBlobContainers {
  const service = new BlobServiceClient(url, new StorageSharedKeyCredential(account, key), {
    retryOptions: { maxTries: 3, tryTimeoutInMs: 30_000, maxRetryDelayInMs: 4_000 },
  });
  return {
    exists: (c) => service.getContainerClient(c).exists(),
    async create(c) {
      const r = await service.getContainerClient(c).createIfNotExists();
      return r.succeeded;
    },
    async delete(c) {
      const r = await service.getContainerClient(c).deleteIfExists();
      return r.succeeded;
    },
  };
}

/** The tag that marks an account this operator created, and so may delete. */
export function ownedTag(infrastructureName: string): string {
  return `kubernetes.io_cluster.${infrastructureName}`;
}

export class AzureDriver implements StorageDriver<'azure'> {
  readonly backend = 'azure' as const;
  readonly displayName = 'Azure';
  private readonly opts: AzureDriverOptions;
  /** The account key in use: the user's, or the one ARM returned during this reconcile. */
  private accountKey: string | undefined;

  constructor(opts: AzureDriverOptions) {
    this.opts = opts;
    if (opts.credentials.kind === 'accountKey') this.accountKey = opts.credentials.accountKey;
  }

  completeConfiguration(spec: AzureStorage): Completion<AzureStorage> {
    const config: AzureStorage = { ...spec };
    const { azure, infrastructureName } = this.opts.cluster;
    const random = this.opts.random ?? mathRandomInt;
    if (!config.cloudName && !config.accountName && azure.cloudName) config.cloudName = azure.cloudName;
    // Only a service principal can create an account; with a bare key the name must come from the user.
    if (!config.accountName && this.opts.credentials.kind === 'servicePrincipal')
      config.accountName = azureAccountName(infrastructureName, random);
    const generatedName = !config.container;
    if (generatedName) config.container = randomStorageName(infrastructureName, [], random);
    return { config, generatedName };
  }

  id(config: AzureStorage): string {
    return config.container ?? '';
  }

  storageChanged(spec: AzureStorage, status: AzureStorage | undefined): boolean {
    return !sameConfig(spec, status);
  }

  async storageExists(config: AzureStorage): Promise<ExistsResult> {
    const { account, container } = this.names(config);
    try {
      if (this.opts.credentials.kind === 'servicePrincipal') {
        const creds = this.opts.credentials;
        const accounts = this.accounts(config);
        if (!(await accounts.get(creds.resourceGroup, account))) {
          return {
            exists: false,
            condition: storageExistsCondition(
              'False',
              'ContainerNotFound',
              `Storage account ${account} does not exist`,
            ),
          };
        }
        this.accountKey = await accounts.primaryKey(creds.resourceGroup, account);
      }
      if (await this.containers(config).exists(container)) {
        return {
          exists: true,
          condition: storageExistsCondition('True', 'ContainerExists', 'Storage container exists'),
        };
      }
      return {
        exists: false,
        condition: storageExistsCondition(
          'False',
          'ContainerNotFound',
          `Could not find storage container ${container}`,
        ),
      };
    } catch (err) {
      throw this.azureError(`checking container ${container} in account ${account}`, err);
    }
  }

  async createStorage(
    config: AzureStorage,
    managementState: StorageManagementState,
    exists: boolean,
  ): Promise<CreateResult<AzureStorage>> {
    const { account, container } = this.names(config);
    let created = false;
    if (!exists) {
      if (this.opts.credentials.kind === 'servicePrincipal') await this.ensureAccount(config, account);
      try {
        created = await this.containers(config).create(container);
      } catch (err) {
        throw this.azureError(
          `Unable to process storage container: creating ${container} in account ${account}`,
          err,
        );
      }
    }
    const condition: DesiredCondition =
      managementState === 'Unmanaged'
        ? storageExistsCondition('True', 'UserManaged', 'Storage is managed by the user')
        : storageExistsCondition('True', 'ContainerExists', 'Storage container exists');
    return { config: { ...config }, conditions: [condition], created };
  }

  /**
   * Deletes the container (with its blobs), then the account when this operator created it (it carries
   * the `kubernetes.io_cluster.<infra>: owned` tag): a user's account is never deleted.
   */
  async removeStorage(config: AzureStorage): Promise<RemoveResult> {
    const { account, container } = this.names(config);
    const creds = this.opts.credentials;
    try {
      let existed: boolean;
      if (creds.kind === 'servicePrincipal') {
        const accounts = this.accounts(config);
        const found = await accounts.get(creds.resourceGroup, account);
        if (!found)
          return {
            condition: storageExistsCondition(
              'False',
              'ContainerNotFound',
              'Container has been already deleted with its storage account',
            ),
          };
        this.accountKey = await accounts.primaryKey(creds.resourceGroup, account);
        existed = await this.containers(config).delete(container);
        if (found.tags[ownedTag(this.opts.cluster.infrastructureName)] === 'owned') {
          await accounts.delete(creds.resourceGroup, account);
          return {
            condition: storageExistsCondition('False', 'AccountDeleted', 'Storage account has been deleted'),
          };
        }
      } else {
        existed = await this.containers(config).delete(container);
      }
      return {
        condition: existed
          ? storageExistsCondition('False', 'ContainerDeleted', 'Storage container has been deleted')
          : storageExistsCondition('False', 'ContainerNotFound', 'Container has been already deleted'),
      };
    } catch (err) {
      throw this.azureError(`removing container ${container} in account ${account}`, err);
    }
  }

  privateConfiguration(): Record<string, string> {
    return this.accountKey ? { [AzureKeys.accountKey]: this.accountKey } : {};
  }

  private names(config: AzureStorage): { account: string; container: string } {
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

  private cloud(config: AzureStorage): AzureCloud {
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

  private accounts(config: AzureStorage): AzureStorageAccounts {
    const creds = this.opts.credentials;
    if (creds.kind !== 'servicePrincipal')
      throw new Error('storage accounts need service-principal credentials');
    return (this.opts.accounts ?? armStorageAccounts)(creds, this.cloud(config));
  }

  private containers(config: AzureStorage): AzureBlobContainers {
    const { account } = this.names(config);
    if (!this.accountKey) throw new Error(`no key for storage account ${account}`);
    const url = blobServiceUrl(account, this.cloud(config), this.opts.blobEndpoint);
    return (this.opts.containers ?? sharedKeyContainers)(url, account, this.accountKey);
  }

  private async ensureAccount(config: AzureStorage, account: string): Promise<void> {
    const creds = this.opts.credentials;
    if (creds.kind !== 'servicePrincipal') return;
    const accounts = this.accounts(config);
    try {
      if (!(await accounts.get(creds.resourceGroup, account))) {
        if (!(await accounts.nameAvailable(account))) {
          const message = `Unable to process storage account: the name ${account} is taken by another Azure subscription; set spec.storage.azure.accountName to a free name`;
          throw new StorageError(message, {
            conditions: [storageExistsCondition('Unknown', 'AzureError', message)],
            retriable: false,
          });
        }
        const tags: Record<string, string> = { [ownedTag(this.opts.cluster.infrastructureName)]: 'owned' };
        for (const t of this.opts.cluster.azure.resourceTags) tags[t.key] ??= t.value;
        await accounts.create(creds.resourceGroup, account, { location: creds.region, tags });
      }
      this.accountKey = await accounts.primaryKey(creds.resourceGroup, account);
    } catch (err) {
      if (err instanceof StorageError) throw err;
      throw this.azureError(`Unable to process storage account ${account}`, err);
    }
  }

  private azureError(what: string, err: unknown): StorageError {
    if (err instanceof StorageError) return err;
    const status = statusOf(err);
    const message = `${what}: ${errorMessage(err)}`;
    // 403 with a key usually means a wrong key: retrying will not help until the secret changes.
    return new StorageError(message, {
      conditions: [storageExistsCondition('Unknown', 'AzureError', message)],
      retriable: status !== 403,
      cause: err,
    });
  }
}
