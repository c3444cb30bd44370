import { HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  createTestNamespace,
  testKubeConfig,
  useStorageEmulators,
  type Minio,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import {
  deleteConfig,
  putSecret,
  startStorageApp,
  storageConditions,
  testInfrastructureName,
  type StorageApp,
} from './support.ts';

/**
 * The S3 suites' shared state (live bindings, set by the hooks `useS3Suite` registers): MinIO from the
 * emulator fixture, a client for it, a namespace with working keys per test, the app under test.
 */

export let kc: KubeConfig;
export let minio: Minio;
export let s3: S3Client;
export let namespace: string;
export let infra: string;
export let app: StorageApp | undefined;

/** Registers the suite's hooks; call once at the top of a test file. */
export function useS3Suite(prefix: string): void {
  const emulators = useStorageEmulators();

  beforeAll(async () => {
    kc = testKubeConfig();
    minio = await emulators.minio();
    s3 = new S3Client({
      region: minio.region,
      endpoint: minio.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
    });
  });

  afterAll(async () => {
    s3?.destroy();
  });

  beforeEach(async () => {
    await deleteConfig(kc);
    namespace = await createTestNamespace(kc, prefix);
    infra = testInfrastructureName();
    await putSecret(kc, namespace, 'image-registry-private-configuration-user', {
      REGISTRY_STORAGE_S3_ACCESSKEY: minio.accessKeyId,
      REGISTRY_STORAGE_S3_SECRETKEY: minio.secretAccessKey,
    });
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await deleteConfig(kc);
  });
}

export const start = async (degradedAfterMs?: number) => {
  app = await startStorageApp(kc, {
    namespace,
    infrastructureName: infra,
    ...(degradedAfterMs === undefined ? {} : { degradedAfterMs }),
  });
};
export const minioStorage = (extra: Record<string, unknown> = {}) => ({
  s3: { regionEndpoint: minio.endpoint, region: 'us-east-1', ...extra },
});
export const bucketExists = (bucket: string) =>
  s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
    () => true,
    (err: unknown) =>
      (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
        ? false
        : Promise.reject(err),
  );
export const objectKeys = async (bucket: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key);
export const putObjects = async (bucket: string, keys: string[]) => {
  for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: `blob ${Key}` }));
};
export const storageExists = async () => (await storageConditions(kc))['StorageExists'];
