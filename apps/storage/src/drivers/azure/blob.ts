import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { TokenCredential } from '@azure/identity';
import { proxyFor, type ProxyEnv } from '../proxy.ts';

/** Blob-container operations in one account. Every call takes the reconcile's signal. */
export interface AzureBlobContainers {
  exists(container: string): Promise<boolean>;
  /** False when it already existed. */
  create(container: string): Promise<boolean>;
  /** Deletes the container and its blobs; false when it did not exist. */
  delete(container: string): Promise<boolean>;
}

/** How blob calls authenticate: the account key, or Entra tokens (workload identity, no key). */
export type BlobAuth = { accountKey: string } | { credential: TokenCredential };

export interface BlobClientOptions {
  proxyEnv: ProxyEnv;
  signal: AbortSignal | undefined;
}

/** core-rest-pipeline's proxy settings for a URL, from the given proxy variables. */
export function azureProxyOptions(url: string, env: ProxyEnv) {
  const proxy = proxyFor(url, env);
  if (!proxy) return undefined;
  const p = new URL(proxy);
  return {
    host: `${p.protocol}//${p.hostname}`,
    port: Number(p.port || (p.protocol === 'https:' ? 443 : 80)),
    ...(p.username
      ? { username: decodeURIComponent(p.username), password: decodeURIComponent(p.password) }
      : {}),
  };
}

export function blobContainers(
  url: string,
  account: string,
  auth: BlobAuth,
  opts: BlobClientOptions,
): AzureBlobContainers {
  const credential =
    'accountKey' in auth ? new StorageSharedKeyCredential(account, auth.accountKey) : auth.credential;
  const proxyOptions = azureProxyOptions(url, opts.proxyEnv);
  const service = new BlobServiceClient(url, credential, {
    retryOptions: { maxTries: 3, tryTimeoutInMs: 30_000, maxRetryDelayInMs: 4_000 },
    ...(proxyOptions ? { proxyOptions } : {}),
  });
  const abortSignal = opts.signal;
  return {
    exists: (c) => service.getContainerClient(c).exists({ abortSignal }),
    async create(c) {
      return (await service.getContainerClient(c).createIfNotExists({ abortSignal })).succeeded;
    },
    async delete(c) {
      return (await service.getContainerClient(c).deleteIfExists({ abortSignal })).succeeded;
    },
  };
}
