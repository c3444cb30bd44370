export { ensureEmulators, EmulatorBuildError, type EmulatorBinaries } from './binaries.ts';
export { EmulatorStartError } from './process.ts';
export { startMinio, type Minio, type MinioOptions } from './minio.ts';
export { startS3Front, type S3Front } from './s3-front.ts';
export { startFakeGcs, type FakeGcs, type FakeGcsOptions } from './fake-gcs.ts';
export { startAzurite, azuriteDevAccount, type Azurite, type AzuriteOptions } from './azurite.ts';
export { startRegistry, defaultRegistryConfig, type Registry, type RegistryOptions } from './registry.ts';
export { skopeo, skopeoCopy, SkopeoError, type SkopeoCopyOptions, type SkopeoResult } from './skopeo.ts';
export { createTinyImage, ociManifestDigest, type TinyImage } from './oci-image.ts';
export {
  createServingCertificate,
  writeCaCertDir,
  type ServingCertificate,
  type ServingCertificateOptions,
} from './tls.ts';
export {
  useStorageEmulators,
  type StorageEmulatorOptions,
  type StorageEmulators,
} from './storage-fixture.ts';
/** A free loopback port, for a server a test or bench starts itself. */
export { freePort } from '../control-plane/processes.ts';
export {
  azureContainerNames,
  gcsBucketNames,
  gcsCreateBucket,
  s3BucketFacts,
  s3CreateBucket,
  s3DeleteBucket,
  s3ObjectKeys,
  s3PutObjects,
  type GcsAccess,
  type S3Access,
  type S3BucketFacts,
} from './storage-clients.ts';
