import type { ClusterFacts } from '../cluster.ts';
import { azureCredentials, gcsCredentials, s3Credentials, type CredentialSources } from '../credentials.ts';
import type { Backend } from '../storage-types.ts';
import { AzureDriver, type AzureDriverOptions } from './azure.ts';
import type { StorageDriver } from './driver.ts';
import { EmptyDirDriver } from './emptydir.ts';
import { GcsDriver, type GcsDriverOptions } from './gcs.ts';
import { PvcDriver, type ClaimApi } from './pvc.ts';
import { S3Driver, type S3DriverOptions } from './s3.ts';

/** What a driver is built from, read fresh by every reconcile. */
export interface DriverInputs {
  cluster: ClusterFacts;
  credentials: CredentialSources;
  /** PEM bundle of `spec.storage.s3.trustedCA`, already read from its ConfigMap. */
  s3CABundle: string | undefined;
  replicas: number;
  rolloutStrategy: string | undefined;
}

/** Process-wide settings and seams: emulator endpoints, client factories for tests. */
export interface DriverEnvironment {
  namespace: string;
  claims: ClaimApi;
  gcsEndpoint?: string | undefined;
  azureBlobEndpoint?: string | undefined;
  s3ClientFactory?: S3DriverOptions['clientFactory'];
  gcsApi?: GcsDriverOptions['api'];
  azureContainers?: AzureDriverOptions['containers'];
  azureAccounts?: AzureDriverOptions['accounts'];
}

/**
 * The driver of a backend. Throws CredentialsError when the backend's credentials are missing or
 * incomplete (the message names the secret and key).
 */
export function createDriver(backend: Backend, inputs: DriverInputs, env: DriverEnvironment): StorageDriver {
  switch (backend) {
    case 's3':
      return new S3Driver({
        cluster: inputs.cluster,
        credentials: s3Credentials(inputs.credentials),
        caBundle: inputs.s3CABundle,
        ...(env.s3ClientFactory ? { clientFactory: env.s3ClientFactory } : {}),
      }) as StorageDriver;
    case 'gcs':
      return new GcsDriver({
        cluster: inputs.cluster,
        credentials: gcsCredentials(inputs.credentials),
        apiEndpoint: env.gcsEndpoint,
        ...(env.gcsApi ? { api: env.gcsApi } : {}),
      }) as StorageDriver;
    case 'azure':
      return new AzureDriver({
        cluster: inputs.cluster,
        credentials: azureCredentials(inputs.credentials, inputs.cluster.azure.resourceGroupName),
        blobEndpoint: env.azureBlobEndpoint,
        ...(env.azureContainers ? { containers: env.azureContainers } : {}),
        ...(env.azureAccounts ? { accounts: env.azureAccounts } : {}),
      }) as StorageDriver;
    case 'pvc':
      return new PvcDriver({
        namespace: env.namespace,
        claims: env.claims,
        replicas: inputs.replicas,
        rolloutStrategy: inputs.rolloutStrategy,
      }) as StorageDriver;
    case 'emptyDir':
      return new EmptyDirDriver() as StorageDriver;
  }
}
