import type { Storage } from '@image-registry/api';

/** `spec.storage` / `status.storage` of the Config (imageregistry.operator.openshift.io/v1). */
export type StorageSpec = Storage;

export type S3Storage = NonNullable<Storage['s3']>;
export type GcsStorage = NonNullable<Storage['gcs']>;
export type AzureStorage = NonNullable<Storage['azure']>;
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
