import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetBucketEncryptionCommand,
  GetBucketTaggingCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { kubeRequest, startS3Front } from '@image-registry/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  bucketExists,
  infra,
  kc,
  minio,
  minioStorage,
  namespace,
  objectKeys,
  putObjects,
  s3,
  start,
  storageExists,
  useS3Suite,
} from './s3-fixture.ts';
import {
  applyConfig,
  configPath,
  deleteConfig,
  deleteSecret,
  getConfig,
  patchConfig,
  putSecret,
  readSecret,
  storageConditions,
} from './support.ts';

useS3Suite('storage-s3');

describe('S3 on MinIO', () => {
  it('creates, configures and publishes a bucket named <infra>-image-registry-<region>, with the exact conditions', async () => {
    // An endpoint that answers 501 NotImplemented for the public access block, as S3-compatible stores do.
    const front = await startS3Front(minio.endpoint, ['publicAccessBlock']);
    onTestFinished(() => front.close());
    await applyConfig(kc, { storage: { s3: { regionEndpoint: front.endpoint, region: 'us-east-1' } } });
    await start();
    const bucket = `${infra}-image-registry-us-east-1`;

    await expect
      .poll(() => storageConditions(kc), { timeout: 30_000 })
      .toEqual({
        StorageExists: {
          status: 'True',
          reason: 'S3 Bucket Exists',
          message: `S3 bucket ${bucket} exists and is accessible`,
        },
        // Reported, and nothing else fails.
        StoragePublicAccessBlocked: {
          status: 'False',
          reason: 'NotSupportedByEndpoint',
          message: `${front.endpoint} does not implement PutPublicAccessBlock; the operator cannot apply this setting to bucket ${bucket}`,
        },
        StorageTagged: {
          status: 'True',
          reason: 'Tagging Successful',
          message: 'Tags were successfully applied to the S3 bucket',
        },
        StorageEncrypted: {
          status: 'True',
          reason: 'Encryption Successful',
          message: 'Default AES256 encryption was successfully enabled on the S3 bucket',
        },
        // MinIO has no AbortIncompleteMultipartUpload lifecycle action and rejects the rule as malformed.
        StorageIncompleteUploadCleanupEnabled: {
          status: 'False',
          reason: 'NotSupportedByEndpoint',
          message: expect.stringMatching(
            new RegExp(
              `^${front.endpoint} does not support PutBucketLifecycleConfiguration as AWS S3 does \\(\\w+: .*\\); the operator cannot apply this setting to bucket ${bucket}$`,
            ),
          ),
        },
        StorageControllerDegraded: { status: 'False', reason: 'AsExpected', message: '' },
      });

    const config = await getConfig(kc);
    const effective = { bucket, region: 'us-east-1', regionEndpoint: front.endpoint, encrypt: true };
    expect(config?.spec?.storage).toEqual({ managementState: 'Managed', s3: effective });
    expect(config?.status?.storage).toEqual({ managementState: 'Managed', s3: effective });
    expect(config?.status?.storageManaged).toBe(true);
    expect(config?.metadata?.finalizers).toContain('imageregistry.operator.openshift.io/finalizer');

    const tags = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    expect(tags.TagSet).toEqual(
      expect.arrayContaining([
        { Key: `kubernetes.io/cluster/${infra}`, Value: 'owned' },
        { Key: 'Name', Value: `${infra}-image-registry` },
      ]),
    );
    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    expect(
      encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault
        ?.SSEAlgorithm,
    ).toBe('AES256');
    // What the registry mounts: the shared credentials file, nothing in the Config.
    expect(await readSecret(kc, namespace, 'image-registry-private-configuration')).toEqual({
      credentials: `[default]\naws_access_key_id = ${minio.accessKeyId}\naws_secret_access_key = ${minio.secretAccessKey}\n`,
    });
    expect(JSON.stringify(config)).not.toContain(minio.secretAccessKey);
  });

  it('uses an existing user bucket as Unmanaged, configures nothing on it, and never deletes it', async () => {
    const bucket = `${infra}-users-bucket`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await putObjects(bucket, ['docker/registry/v2/blobs/a', 'docker/registry/v2/blobs/b']);
    await applyConfig(kc, { storage: minioStorage({ bucket }) });
    await start();

    await expect
      .poll(() => storageConditions(kc), { timeout: 30_000 })
      .toEqual({
        StorageExists: {
          status: 'True',
          reason: 'S3 Bucket Exists',
          message: 'User supplied S3 bucket exists and is accessible',
        },
        StorageControllerDegraded: { status: 'False', reason: 'AsExpected', message: '' },
      });
    const config = await getConfig(kc);
    expect(config?.spec?.storage?.managementState).toBe('Unmanaged');
    expect(config?.status?.storage).toEqual({
      managementState: 'Unmanaged',
      s3: { bucket, region: 'us-east-1', regionEndpoint: minio.endpoint },
    });
    expect(config?.status?.storageManaged).toBe(false);
    await expect(s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).rejects.toThrow();

    // Removed: the registry lets go of the bucket, which keeps every object.
    await patchConfig(kc, { spec: { managementState: 'Removed' } });
    await expect.poll(async () => (await getConfig(kc))?.status?.storage, { timeout: 30_000 }).toEqual({});
    expect(await storageExists()).toEqual({
      status: 'False',
      reason: 'StorageUnmanaged',
      message: 'The registry is removed; its storage is Unmanaged and was left untouched.',
    });
    expect(await objectKeys(bucket)).toEqual(['docker/registry/v2/blobs/a', 'docker/registry/v2/blobs/b']);

    // Deleting the Config runs the finalizer, which leaves the bucket alone too.
    await deleteConfig(kc);
    expect(await objectKeys(bucket)).toEqual(['docker/registry/v2/blobs/a', 'docker/registry/v2/blobs/b']);
  });

  it('reports the provider reason for bogus credentials and recovers when the -user secret is deleted', async () => {
    await putSecret(kc, namespace, 'installer-cloud-credentials', {
      aws_access_key_id: minio.accessKeyId,
      aws_secret_access_key: minio.secretAccessKey,
    });
    await putSecret(kc, namespace, 'image-registry-private-configuration-user', {
      REGISTRY_STORAGE_S3_ACCESSKEY: 'bogus-access-key',
      REGISTRY_STORAGE_S3_SECRETKEY: 'bogus-secret-key',
    });
    await applyConfig(kc, { storage: minioStorage() });
    await start();
    const bucket = `${infra}-image-registry-us-east-1`;

    // The HEAD answer has no body; the app asks once more to give the provider's code, as upstream shows it.
    await expect.poll(storageExists, { timeout: 30_000 }).toEqual({
      status: 'False',
      reason: 'InvalidAccessKeyId',
      message: expect.stringMatching(
        new RegExp(`^HeadBucket ${bucket}: InvalidAccessKeyId: .* \\(HTTP 403\\)$`),
      ),
    });
    const failing = await storageConditions(kc);
    expect(failing['StorageControllerDegraded']).toMatchObject({ status: 'False', reason: 'Retrying' });
    expect(await readSecret(kc, namespace, 'image-registry-private-configuration')).toBeUndefined();
    expect((await getConfig(kc))?.status?.storage ?? {}).toEqual({});

    await deleteSecret(kc, namespace, 'image-registry-private-configuration-user');
    await expect.poll(storageExists, { timeout: 30_000 }).toMatchObject({ status: 'True' });
    expect((await storageConditions(kc))['StorageControllerDegraded']).toMatchObject({
      status: 'False',
      reason: 'AsExpected',
    });
    expect(await bucketExists(bucket)).toBe(true);
  });

  it('re-applies bucket encryption when keyID changes', async () => {
    await applyConfig(kc, { storage: minioStorage() });
    await start();
    const bucket = `${infra}-image-registry-us-east-1`;
    await expect
      .poll(async () => (await storageConditions(kc))['StorageEncrypted']?.message, { timeout: 30_000 })
      .toBe('Default AES256 encryption was successfully enabled on the S3 bucket');

    await applyConfig(kc, { storage: minioStorage({ keyID: minio.kmsKeyId }) });
    await expect
      .poll(async () => (await storageConditions(kc))['StorageEncrypted'], { timeout: 30_000 })
      .toEqual({
        status: 'True',
        reason: 'Encryption Successful',
        message: 'Default aws:kms encryption was successfully enabled on the S3 bucket',
      });
    const rule = (await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })))
      .ServerSideEncryptionConfiguration?.Rules?.[0];
    expect(rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('aws:kms');
    expect(rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID).toContain(minio.kmsKeyId);
    await expect.poll(async () => (await getConfig(kc))?.status?.storage?.s3?.keyID).toBe(minio.kmsKeyId);
  });

  it('empties and deletes a non-empty Managed bucket (objects and pending uploads) on Removed, then clears status.storage and the secret', async () => {
    await applyConfig(kc, { storage: minioStorage() });
    await start();
    const bucket = `${infra}-image-registry-us-east-1`;
    await expect.poll(storageExists, { timeout: 30_000 }).toMatchObject({ status: 'True' });
    await putObjects(bucket, [
      'docker/registry/v2/repositories/x/_layers/a',
      'docker/registry/v2/blobs/sha256/aa/data',
    ]);
    // An interrupted push leaves a multipart upload behind.
    const upload = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'docker/registry/v2/uploads/u/data' }),
    );
    await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: 'docker/registry/v2/uploads/u/data',
        UploadId: upload.UploadId,
        PartNumber: 1,
        Body: 'part',
      }),
    );

    await patchConfig(kc, { spec: { managementState: 'Removed' } });
    await expect.poll(() => bucketExists(bucket), { timeout: 30_000 }).toBe(false);
    await expect
      .poll(() => storageConditions(kc), { timeout: 30_000 })
      .toEqual({
        StorageExists: {
          status: 'False',
          reason: 'S3 Bucket Deleted',
          message: 'The S3 bucket has been removed.',
        },
        StorageControllerDegraded: { status: 'False', reason: 'AsExpected', message: '' },
      });
    // The conditions first, then status.storage is cleared.
    await expect.poll(async () => (await getConfig(kc))?.status?.storage, { timeout: 30_000 }).toEqual({});
    expect((await getConfig(kc))?.status?.storageManaged).toBe(false);
    expect(await readSecret(kc, namespace, 'image-registry-private-configuration')).toBeUndefined();
  });

  it('releases the finalizer when the Config is deleted and keeps the Managed bucket and its objects (only Removed deletes)', async () => {
    await applyConfig(kc, { storage: minioStorage() });
    await start();
    const bucket = `${infra}-image-registry-us-east-1`;
    await expect.poll(storageExists, { timeout: 30_000 }).toMatchObject({ status: 'True' });
    expect((await getConfig(kc))?.status?.storage?.managementState).toBe('Managed');
    await putObjects(bucket, ['a', 'b', 'c']);

    // As an uninstall does (the CRD going away deletes Config/cluster the same way).
    await kubeRequest(kc, 'DELETE', configPath);
    await expect.poll(() => getConfig(kc), { timeout: 30_000 }).toBeUndefined();
    expect(await bucketExists(bucket)).toBe(true);
    expect((await objectKeys(bucket)).sort()).toEqual(['a', 'b', 'c']);
  });
});
