import { readFileSync } from 'node:fs';
import type { ClusterFacts } from '../cluster.ts';
import { azureCredentials } from '../credentials/azure.ts';
import { gcsCredentials } from '../credentials/gcs.ts';
import { s3Credentials } from '../credentials/s3.ts';
import type { CredentialSources } from '../credentials/sources.ts';
import type { Backend } from '../storage-types.ts';
import type { AzureDriverOptions } from './azure/driver.ts';
import type { StorageDriver } from './driver.ts';
import type { GcsDriverOptions } from './gcs/driver.ts';
import type { ProxyEnv } from './proxy.ts';
import type { ClaimApi } from './pvc.ts';
import type { S3DriverOptions } from './s3/driver.ts';

/** What a driver is built from, read fresh by every reconcile. */
export interface DriverInputs {
  cluster: ClusterFacts;
  credentials: CredentialSources;
  /** PEM bundle of `spec.storage.s3.trustedCA`, already read from its ConfigMap. */
  s3CABundle: string | undefined;
  replicas: number;
  rolloutStrategy: string | undefined;
  /** The proxy the cloud clients use: the process's variables, or the cluster Proxy's. */
  proxyEnv: ProxyEnv;
}

/** Process-wide settings and seams: emulator endpoints, client factories for tests. */
export interface DriverEnvironment {
  namespace: string;
  claims: ClaimApi;
  gcsEndpoint?: string | undefined;
  azureBlobEndpoint?: string | undefined;
  /** STS endpoint for S3 web identity (default the regional one). */
  stsEndpoint?: string | undefined;
  s3ClientFactory?: S3DriverOptions['clientFactory'];
  gcsApi?: GcsDriverOptions['api'];
  azureContainers?: AzureDriverOptions['containers'];
  azureAccounts?: AzureDriverOptions['accounts'];
}

const readText = (path: string) => readFileSync(path, 'utf8');

/**
 * The driver of a backend, loading only that backend's SDK (dynamic import: an S3 cluster never loads
 * the Google and Azure libraries). Throws CredentialsError when the backend's credentials are missing
 * or incomplete (the message names the secret and key). `signal` is the reconcile's: the driver's
 * requests and loops stop when it aborts.
 */
export async function createDriver(
  backend: Backend,
  inputs: DriverInputs,
  env: DriverEnvironment,
  signal?: AbortSignal,
): Promise<StorageDriver> {
  const common = { cluster: inputs.cluster, proxyEnv: inputs.proxyEnv, signal };
  switch (backend) {
    case 's3': {
      const credentials = s3Credentials(inputs.credentials);
      const { S3Driver } = await import('./s3/driver.ts');
      return new S3Driver({
        ...common,
        credentials,
        caBundle: inputs.s3CABundle,
        stsEndpoint: env.stsEndpoint,
        ...(env.s3ClientFactory ? { clientFactory: env.s3ClientFactory } : {}),
      }) as StorageDriver;
    }
    case 'gcs': {
      const credentials = gcsCredentials(inputs.credentials, readText);
      const { GcsDriver } = await import('./gcs/driver.ts');
      return new GcsDriver({
        ...common,
        credentials,
        apiEndpoint: env.gcsEndpoint,
        ...(env.gcsApi ? { api: env.gcsApi } : {}),
      }) as StorageDriver;
    }
    case 'azure': {
      const credentials = azureCredentials(inputs.credentials, inputs.cluster.azure.resourceGroupName);
      const { AzureDriver } = await import('./azure/driver.ts');
      return new AzureDriver({
        ...common,
        credentials,
        blobEndpoint: env.azureBlobEndpoint,
        ...(env.azureContainers ? { containers: env.azureContainers } : {}),
        ...(env.azureAccounts ? { accounts: env.azureAccounts } : {}),
      }) as StorageDriver;
    }
    case 'pvc': {
      const { PvcDriver } = await import('./pvc.ts');
      return new PvcDriver({
        namespace: env.namespace,
        claims: env.claims,
        replicas: inputs.replicas,
        rolloutStrategy: inputs.rolloutStrategy,
      }) as StorageDriver;
    }
    case 'emptyDir': {
      const { EmptyDirDriver } = await import('./emptydir.ts');
      return new EmptyDirDriver() as StorageDriver;
    }
  }
}
