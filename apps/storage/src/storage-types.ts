import type { Storage } from '@image-registry/api';

export type S3Storage = NonNullable<Storage['s3']>;
export type GcsStorage = NonNullable<Storage['gcs']>;
/** `networkAccess` is optional on the wire (the schema defaults it to External). */
export type AzureStorage = Partial<NonNullable<Storage['azure']>>;

/** `spec.storage` / `status.storage` of the Config (imageregistry.operator.openshift.io/v1), as sent. */
export type StorageSpec = Omit<Storage, 'azure'> & { azure?: AzureStorage | undefined };
export type PvcStorage = NonNullable<Storage['pvc']>;
export type EmptyDirStorage = NonNullable<Storage['emptyDir']>;

/** The backends this app provisions. */
export type Backend = 's3' | 'gcs' | 'azure' | 'pvc' | 'emptyDir';

/** Backends in the API that have no driver here yet. */
export type UnsupportedBackend = 'swift' | 'ibmcos' | 'oss';

export interface BackendConfigs {
  s3: S3Storage;
  gcs: GcsStorage;
  azure: AzureStorage;
  pvc: PvcStorage;
  emptyDir: EmptyDirStorage;
}

export type BackendConfig<B extends Backend> = BackendConfigs[B];
