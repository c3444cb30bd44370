import {
  GetBucketEncryptionCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  applyYaml,
  createServingCertificate,
  createTestNamespace,
  testKubeConfig,
  useStorageEmulators,
  type Minio,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { startLoopbackProxy, startTlsFront } from './net.ts';
import {
  admin,
  applyConfig,
  deleteConfig,
  deleteSecret,
  getConfig,
  patchConfig,
  putSecret,
  readSecret,
  startStorageApp,
  storageConditions,
  testInfrastructureName,
  type StorageApp,
  type StorageAppOptions,
} from './support.ts';

/** Upstream's e2e checks of the S3 driver (TestAWS*), replayed against MinIO. */

let kc: KubeConfig;
let minio: Minio;
let s3: S3Client;
let namespace: string;
let infra: string;
let app: StorageApp | undefined;
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

const userSecret = 'image-registry-private-configuration-user';
const goodKeys = () => ({
  REGISTRY_STORAGE_S3_ACCESSKEY: minio.accessKeyId,
  REGISTRY_STORAGE_S3_SECRETKEY: minio.secretAccessKey,
});
const bogusKeys = {
  REGISTRY_STORAGE_S3_ACCESSKEY: 'bogus-access-key',
  REGISTRY_STORAGE_S3_SECRETKEY: 'bogus-secret',
};

beforeEach(async () => {
  await deleteConfig(kc);
  namespace = await createTestNamespace(kc, 'storage-s3-upstream');
  infra = testInfrastructureName();
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
  await deleteConfig(kc);
});

const start = async (extra: Partial<StorageAppOptions> = {}) => {
  app = await startStorageApp(kc, { namespace, infrastructureName: infra, ...extra });
};
const bucketName = () => `${infra}-image-registry-us-east-1`;
const minioStorage = (extra: Record<string, unknown> = {}) => ({
  s3: { regionEndpoint: minio.endpoint, region: 'us-east-1', ...extra },
});
const storageExists = async () => (await storageConditions(kc))['StorageExists'];
const objectCount = async (bucket: string) => {
  let n = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    n += page.KeyCount ?? 0;
    token = page.NextContinuationToken;
  } while (token);
  return n;
};
const bucketThere = (bucket: string) =>
  s3.send(new HeadBucketCommand({ Bucket: bucket })).then(
    () => true,
    () => false,
  );

describe('S3 outcomes upstream checks', () => {
  it('bogus -user keys before the first start: StorageExists False InvalidAccessKeyId; deleting the secret gives S3 Bucket Exists (TestAWSUnableToCreateBucketOnStartup)', async () => {
    await putSecret(kc, namespace, 'installer-cloud-credentials', {
      aws_access_key_id: minio.accessKeyId,
      aws_secret_access_key: minio.secretAccessKey,
    });
    await putSecret(kc, namespace, userSecret, bogusKeys);
    await applyConfig(kc, { storage: minioStorage() });
    await start();

    await expect
      .poll(storageExists, { timeout: 60_000 })
      .toMatchObject({ status: 'False', reason: 'InvalidAccessKeyId' });
    // A 403 is never "absent": nothing was created under the name.
    expect(await bucketThere(bucketName())).toBe(false);
    expect((await getConfig(kc))?.status?.storage ?? {}).toEqual({});

    await deleteSecret(kc, namespace, userSecret);
    await expect.poll(storageExists, { timeout: 60_000 }).toMatchObject({ status: 'True' });
    // The next pass over the now existing bucket reads S3 Bucket Exists, as upstream's test expects.
    await patchConfig(kc, { spec: { storage: { s3: { chunkSizeMiB: 10 } } } });
    await expect.poll(storageExists, { timeout: 60_000 }).toEqual({
      status: 'True',
      reason: 'S3 Bucket Exists',
      message: `S3 bucket ${bucketName()} exists and is accessible`,
    });
  });

  it('day 2: healthy, then bogus keys, then the secret deleted, recovers to S3 Bucket Exists (TestAWSUpdateCredentials)', async () => {
    await putSecret(kc, namespace, userSecret, goodKeys());
    await applyConfig(kc, { storage: minioStorage() });
    await start();
    await expect.poll(storageExists, { timeout: 60_000 }).toMatchObject({ status: 'True' });
    const published = (await getConfig(kc))?.status?.storage;

    await putSecret(kc, namespace, userSecret, bogusKeys);
    await expect
      .poll(storageExists, { timeout: 60_000 })
      .toMatchObject({ status: 'False', reason: 'InvalidAccessKeyId' });
    // Deliberate difference: the registry keeps the last storage and keys that worked.
    expect((await getConfig(kc))?.status?.storage).toEqual(published);
    expect(
      (await readSecret(kc, namespace, 'image-registry-private-configuration'))?.['credentials'],
    ).toContain(minio.accessKeyId);

    await putSecret(kc, namespace, 'installer-cloud-credentials', {
      aws_access_key_id: minio.accessKeyId,
      aws_secret_access_key: minio.secretAccessKey,
    });
    await deleteSecret(kc, namespace, userSecret);
    await expect.poll(storageExists, { timeout: 60_000 }).toEqual({
      status: 'True',
      reason: 'S3 Bucket Exists',
      message: `S3 bucket ${bucketName()} exists and is accessible`,
    });
    expect((await storageConditions(kc))['StorageControllerDegraded']).toMatchObject({
      reason: 'AsExpected',
    });
  });

  it('reads the default encryption back from the bucket: AES256 with BucketKeyEnabled, then aws:kms with the key (TestAWSDefaults, TestAWSChangeS3Encryption)', async () => {
    await putSecret(kc, namespace, userSecret, goodKeys());
    await applyConfig(kc, { storage: minioStorage() });
    await start();
    await expect
      .poll(async () => (await storageConditions(kc))['StorageEncrypted'], { timeout: 60_000 })
      .toEqual({
        status: 'True',
        reason: 'Encryption Successful',
        message: 'Default AES256 encryption was successfully enabled on the S3 bucket',
      });
    const rule = async () =>
      (await s3.send(new GetBucketEncryptionCommand({ Bucket: bucketName() })))
        .ServerSideEncryptionConfiguration?.Rules?.[0];
    expect((await rule())?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
    expect((await rule())?.BucketKeyEnabled ?? true).toBe(true);

    await patchConfig(kc, { spec: { storage: { s3: { keyID: minio.kmsKeyId } } } });
    await expect
      .poll(async () => (await rule())?.ApplyServerSideEncryptionByDefault, { timeout: 60_000 })
      .toMatchObject({
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: expect.stringContaining(minio.kmsKeyId ?? '-'),
      });
    await expect
      .poll(async () => (await storageConditions(kc))['StorageEncrypted']?.message, { timeout: 60_000 })
      .toBe('Default aws:kms encryption was successfully enabled on the S3 bucket');
  });

  it('Managed to Unmanaged on a live Config: says so and touches the bucket no more', async () => {
    await putSecret(kc, namespace, userSecret, goodKeys());
    await applyConfig(kc, { storage: minioStorage() });
    await start();
    await expect.poll(storageExists, { timeout: 60_000 }).toMatchObject({ status: 'True' });
    const published = (await getConfig(kc))?.status?.storage;

    await patchConfig(kc, {
      spec: { managementState: 'Unmanaged', storage: { s3: { keyID: minio.kmsKeyId } } },
    });
    await expect
      .poll(async () => (await storageConditions(kc))['StorageControllerDegraded'], { timeout: 60_000 })
      .toEqual({
        status: 'False',
        reason: 'Unmanaged',
        message: 'The registry configuration is set to unmanaged mode',
      });
    // The keyID change is not applied while Unmanaged, and status.storage stays as it was.
    const rule = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucketName() }));
    expect(
      rule.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    ).toBe('AES256');
    expect((await getConfig(kc))?.status?.storage).toEqual(published);

    await patchConfig(kc, { spec: { managementState: 'Managed' } });
    await expect
      .poll(async () => (await storageConditions(kc))['StorageControllerDegraded']?.reason, {
        timeout: 60_000,
      })
      .toBe('AsExpected');
  });

  it('trusts a custom endpoint over HTTPS only through the trustedCA ConfigMap', async () => {
    const tls = await createServingCertificate({ ipAddresses: ['127.0.0.1'] });
    const front = await startTlsFront(minio.endpoint, tls);
    onTestFinished(() => front.close());
    await putSecret(kc, namespace, userSecret, goodKeys());
    await applyConfig(kc, { storage: { s3: { regionEndpoint: front.endpoint, region: 'us-east-1' } } });
    await start();
    // Its CA is not among the system roots.
    await expect
      .poll(storageExists, { timeout: 60_000 })
      .toMatchObject({ status: 'Unknown', reason: 'Unknown Error Occurred' });

    await applyYaml(
      kc,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'minio-ca', namespace },
        data: { 'ca-bundle.crt': tls.caCert },
      } as never,
      { fieldManager: admin },
    );
    await patchConfig(kc, { spec: { storage: { s3: { trustedCA: { name: 'minio-ca' } } } } });
    await expect.poll(storageExists, { timeout: 60_000 }).toMatchObject({ status: 'True' });
    expect(await bucketThere(bucketName())).toBe(true);
  });

  it('a deposed leader stops emptying a bucket: objects remain and the next leader finishes', async () => {
    const proxy = await startLoopbackProxy();
    onTestFinished(() => proxy.close());
    await putSecret(kc, namespace, userSecret, goodKeys());
    await applyConfig(kc, { storage: minioStorage() });
    // Through a proxy that counts the requests, so the test sees the first page being deleted.
    await start({ env: { HTTP_PROXY: proxy.url } });
    await expect.poll(storageExists, { timeout: 60_000 }).toMatchObject({ status: 'True' });
    const bucket = bucketName();
    const keys = Array.from(
      { length: 2100 },
      (_, i) => `docker/registry/v2/blobs/${String(i).padStart(5, '0')}`,
    );
    for (let i = 0; i < keys.length; i += 50)
      await Promise.all(
        keys.slice(i, i + 50).map((Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'x' }))),
      );
    const deletes = () => proxy.seen.filter((r) => r.startsWith('POST ') && r.includes('delete')).length;

    await patchConfig(kc, { spec: { managementState: 'Removed' } });
    await expect.poll(deletes, { timeout: 60_000, interval: 5 }).toBeGreaterThan(0);
    // What losing the lease does: the controller stops and the reconcile's signal aborts at once.
    await app?.controller.stop({ graceMs: 0 });
    const sent = deletes();
    expect(sent).toBeLessThan(3);
    // MinIO may still finish the page that was in flight; then the count rests on a page boundary.
    await expect
      .poll(async () => (keys.length - (await objectCount(bucket))) % 1000, { timeout: 30_000 })
      .toBe(0);
    const left = await objectCount(bucket);
    expect(left).toBeGreaterThanOrEqual(keys.length - 1000 * sent);
    expect(left).toBeGreaterThan(0);
    // The controller is idle: no request after its last page.
    expect(deletes()).toBe(sent);
    expect((await getConfig(kc))?.status?.storage).toHaveProperty('s3');

    // The next leader resumes and finishes the removal.
    await app?.stop();
    await start();
    await expect.poll(() => bucketThere(bucket), { timeout: 120_000 }).toBe(false);
    await expect.poll(async () => (await getConfig(kc))?.status?.storage, { timeout: 60_000 }).toEqual({});
  });
});
