import type { DesiredCondition } from '@image-registry/conditions';
import type { ClusterFacts } from '../../cluster.ts';
import { AzureKeys, type AzureCredentials } from '../../credentials/azure.ts';
import { registryTokenFile } from '../../credentials/sources.ts';
import { azureAccountName, mathRandomInt, randomStorageName, type RandomInt } from '../../names.ts';
import type { AzureStorage } from '../../storage-types.ts';
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
} from '../driver.ts';
import type { ProxyEnv } from '../proxy.ts';
import { scrubbedError, scrubbing, secretValues } from '../scrub.ts';
import { armStorageAccounts, statusOf, type AzureStorageAccounts } from './arm.ts';
import { blobContainers, type AzureBlobContainers, type BlobAuth, type BlobClientOptions } from './blob.ts';
import { azureCloudOf, azureNames } from './config.ts';
import { blobServiceUrl, type AzureCloud } from './clouds.ts';
import { azureTokenCredential } from './identity.ts';

type ServicePrincipal = Extract<AzureCredentials, { kind: 'servicePrincipal' }>;

export interface AzureDriverOptions {
  cluster: ClusterFacts;
  credentials: AzureCredentials;
  /** Blob service URL template with `{account}` (Azurite: `http://127.0.0.1:10000/{account}`); default from the cloud. */
  blobEndpoint?: string | undefined;
  proxyEnv?: ProxyEnv;
  /** The reconcile's signal: every blob and ARM call takes it. */
  signal?: AbortSignal | undefined;
  containers?: (url: string, account: string, auth: BlobAuth, opts: BlobClientOptions) => AzureBlobContainers;
  accounts?: (creds: ServicePrincipal, cloud: AzureCloud, signal?: AbortSignal) => AzureStorageAccounts;
  random?: RandomInt;
}

/** The tag that marks an account this operator created, and so may delete. */
export function ownedTag(infrastructureName: string): string {
  return `kubernetes.io_cluster.${infrastructureName}`;
}

const exists = (reason: string, message: string) => storageExistsCondition('True', reason, message);
const gone = (reason: string, message: string) => ({
  condition: storageExistsCondition('False', reason, message),
});

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
    // Only a service principal can create an account; with a key or a blob-only identity the user names it.
    if (!config.accountName && this.opts.credentials.kind === 'servicePrincipal')
      config.accountName = azureAccountName(infrastructureName, random);
    const generatedName = !config.container;
    if (generatedName) config.container = randomStorageName(infrastructureName, [], random);
    return { config, generatedName };
  }

  id(config: AzureStorage): string {
    return config.container ?? '';
  }

  async storageExists(config: AzureStorage): Promise<ExistsResult> {
    const { account, container } = azureNames(config);
    try {
      const sp = this.principal();
      if (sp) {
        const accounts = this.accounts(config, sp);
        if (!(await accounts.get(sp.resourceGroup, account)))
          return {
            exists: false,
            condition: storageExistsCondition(
              'False',
              'ContainerNotFound',
              `Storage account ${account} does not exist`,
            ),
          };
        this.accountKey = await accounts.primaryKey(sp.resourceGroup, account);
      }
      if (await this.containers(config).exists(container))
        return { exists: true, condition: exists('ContainerExists', 'Storage container exists') };
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
    existed: boolean,
  ): Promise<CreateResult<AzureStorage>> {
    const { account, container } = azureNames(config);
    let created = false;
    if (!existed) {
      const sp = this.principal();
      if (sp) await this.ensureAccount(config, sp, account);
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
        ? exists('UserManaged', 'Storage is managed by the user')
        : exists('ContainerExists', 'Storage container exists');
    return { config: { ...config }, conditions: [condition], created };
  }

  /**
   * Deletes the container (with its blobs), then the account when this operator created it (it carries
   * the `kubernetes.io_cluster.<infra>: owned` tag): a user's account is never deleted.
   */
  async removeStorage(config: AzureStorage): Promise<RemoveResult> {
    const { account, container } = azureNames(config);
    try {
      const sp = this.principal();
      if (sp) {
        const accounts = this.accounts(config, sp);
        const found = await accounts.get(sp.resourceGroup, account);
        if (!found)
          return gone('ContainerNotFound', 'Container has been already deleted with its storage account');
        this.accountKey = await accounts.primaryKey(sp.resourceGroup, account);
        await this.containers(config).delete(container);
        if (found.tags[ownedTag(this.opts.cluster.infrastructureName)] === 'owned') {
          this.opts.signal?.throwIfAborted();
          await accounts.delete(sp.resourceGroup, account);
          return gone('AccountDeleted', 'Storage account has been deleted');
        }
        return gone('ContainerDeleted', 'Storage container has been deleted');
      }
      return (await this.containers(config).delete(container))
        ? gone('ContainerDeleted', 'Storage container has been deleted')
        : gone('ContainerNotFound', 'Container has been already deleted');
    } catch (err) {
      throw this.azureError(`removing container ${container} in account ${account}`, err);
    }
  }

  /** The account key; or, with workload identity, who the registry is (its own token file, no key). */
  privateConfiguration(): Record<string, string> {
    const c = this.opts.credentials;
    if (c.kind === 'workloadIdentity')
      return {
        AZURE_CLIENT_ID: c.clientId,
        AZURE_TENANT_ID: c.tenantId,
        AZURE_FEDERATED_TOKEN_FILE: registryTokenFile,
      };
    return this.accountKey ? { [AzureKeys.accountKey]: this.accountKey } : {};
  }

  private secrets(): string[] {
    return secretValues(this.accountKey, this.principal()?.clientSecret);
  }

  private principal(): ServicePrincipal | undefined {
    return this.opts.credentials.kind === 'servicePrincipal' ? this.opts.credentials : undefined;
  }

  private accounts(config: AzureStorage, sp: ServicePrincipal): AzureStorageAccounts {
    return scrubbing(
      (this.opts.accounts ?? armStorageAccounts)(sp, azureCloudOf(config), this.opts.signal),
      this.secrets(),
    );
  }

  private containers(config: AzureStorage): AzureBlobContainers {
    this.opts.signal?.throwIfAborted();
    const { account } = azureNames(config);
    const cloud = azureCloudOf(config);
    const c = this.opts.credentials;
    let auth: BlobAuth;
    if (c.kind === 'workloadIdentity') auth = { credential: azureTokenCredential(c, cloud) };
    else if (this.accountKey) auth = { accountKey: this.accountKey };
    else throw new Error(`no key for storage account ${account}`);
    const url = blobServiceUrl(account, cloud, this.opts.blobEndpoint);
    const opts = { proxyEnv: this.opts.proxyEnv ?? {}, signal: this.opts.signal };
    return scrubbing((this.opts.containers ?? blobContainers)(url, account, auth, opts), this.secrets());
  }

  private async ensureAccount(config: AzureStorage, sp: ServicePrincipal, account: string): Promise<void> {
    const accounts = this.accounts(config, sp);
    try {
      if (!(await accounts.get(sp.resourceGroup, account))) {
        if (!(await accounts.nameAvailable(account))) {
          const message = `Unable to process storage account: the name ${account} is taken by another Azure subscription; set spec.storage.azure.accountName to a free name`;
          throw new StorageError(message, {
            conditions: [storageExistsCondition('Unknown', 'AzureError', message)],
            retriable: false,
          });
        }
        const tags: Record<string, string> = { [ownedTag(this.opts.cluster.infrastructureName)]: 'owned' };
        for (const t of this.opts.cluster.azure.resourceTags) tags[t.key] ??= t.value;
        await accounts.create(sp.resourceGroup, account, { location: sp.region, tags });
      }
      this.accountKey = await accounts.primaryKey(sp.resourceGroup, account);
    } catch (err) {
      throw this.azureError(`Unable to process storage account ${account}`, err);
    }
  }

  private azureError(what: string, err: unknown): StorageError {
    this.opts.signal?.throwIfAborted();
    if (err instanceof StorageError) return err;
    const safe = scrubbedError(err, this.secrets());
    const message = `${what}: ${errorMessage(safe)}`;
    // 403 with a key usually means a wrong key: retrying will not help until the secret changes.
    return new StorageError(message, {
      conditions: [storageExistsCondition('Unknown', 'AzureError', message)],
      retriable: statusOf(err) !== 403,
      cause: safe,
    });
  }
}
