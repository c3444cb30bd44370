// aws_test.go's TestAWSFinalizerDeleteS3Bucket, to our documented semantics (README "Uninstall", the
// storage app's StorageRemoval): deleting Config/cluster completes the storage finalizer, so the object
// (by UID) goes away and a new Config is bootstrapped, as upstream. Where we differ: upstream's finalizer
// deletes the bucket; ours keeps it, because a Config can go with its CRD or an uninstall and must never
// take the images along. Only an explicit managementState Removed deletes storage, and only storage the
// operator provisioned (Managed): a bucket the user brought (Unmanaged) survives both.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import {
  kubeRequest,
  s3BucketFacts,
  s3CreateBucket,
  s3DeleteBucket,
  s3ObjectKeys,
  s3PutObjects,
} from '@image-registry/testing';
import {
  configPath,
  ensureAvailable,
  ensureClusterOperatorNormal,
  freshConfig,
  getConfig,
  kc,
  setRemoved,
  teardown,
  timeout,
} from '../src/helpers.ts';
import {
  awsInfrastructure,
  bootstrapConfig,
  restorePlatformNone,
  setInfrastructure,
} from '../src/platform.ts';
import {
  cloudSecret,
  configStorage,
  createSecret,
  emulators,
  expectCondition,
  testInfrastructureName,
  userSecret,
} from '../src/storage.ts';

const minio = emulators.minio;
/** What the registry would have written: the test looks for it again after each deletion. */
const images = { 'docker/registry/v2/repositories/e2e/app/_layers/link': 'sha256:e2e' };

/** DELETE Config/cluster as an admin would (its finalizer left in place); the UID it had. */
async function deleteConfig(): Promise<string> {
  const uid = (await getConfig())?.metadata.uid ?? '';
  expect(uid).not.toBe('');
  await kubeRequest(kc, 'DELETE', configPath);
  return uid;
}

/** Upstream's wait: the object of that UID is gone (a re-bootstrapped Config of a new UID is fine). */
async function expectGone(uid: string): Promise<void> {
  await expect
    .poll(async () => (await getConfig())?.metadata.uid !== uid, { timeout, interval: 1_000 })
    .toBe(true);
}

const bucketOf = async () =>
  ((await configStorage()).spec['s3'] as { bucket?: string } | undefined)?.bucket ?? '';
const storageManagementState = async () => (await configStorage()).status['managementState'];

describe('Config finalizer', () => {
  afterEach(teardown);

  it('TestAWSFinalizerDeleteS3Bucket', async () => {
    const infra = testInfrastructureName();
    onTestFinished(restorePlatformNone);
    await setInfrastructure(awsInfrastructure(infra, minio));
    await createSecret(cloudSecret, {
      aws_access_key_id: minio.accessKeyId,
      aws_secret_access_key: minio.secretAccessKey,
    });
    await bootstrapConfig('AWS');
    await ensureAvailable();
    await expectCondition('StorageExists', 'True', 'S3 Bucket Exists');
    const bucket = await bucketOf();
    expect(bucket).toBe(`${infra}-image-registry-${minio.region}`);
    expect(await storageManagementState()).toBe('Managed');
    onTestFinished(() => s3DeleteBucket(minio, bucket));
    await s3PutObjects(minio, bucket, images);

    const uid = await deleteConfig();
    await expectGone(uid);
    // Deliberate difference: the finalizer kept the bucket the operator provisioned, images and all.
    expect(await s3ObjectKeys(minio, bucket)).toEqual(Object.keys(images));

    // The bootstrapped Config names the same generated bucket and takes it over as its own.
    await expect.poll(async () => (await getConfig())?.metadata.uid, { timeout }).toBeDefined();
    await ensureAvailable();
    await ensureClusterOperatorNormal();
    expect(await bucketOf()).toBe(bucket);
    expect(await storageManagementState()).toBe('Managed');

    // The explicit Removed is what deletes provisioned storage.
    await setRemoved();
    await expect.poll(() => s3BucketFacts(minio, bucket), { timeout }).toBeUndefined();
  });

  it('a bucket the operator did not provision survives deletion of the Config and Removed', async () => {
    const bucket = `${testInfrastructureName()}-user-${randomBytes(4).toString('hex')}`;
    await s3CreateBucket(minio, bucket, images);
    onTestFinished(() => s3DeleteBucket(minio, bucket));
    await createSecret(userSecret, {
      REGISTRY_STORAGE_S3_ACCESSKEY: minio.accessKeyId,
      REGISTRY_STORAGE_S3_SECRETKEY: minio.secretAccessKey,
    });
    const storage = { s3: { bucket, region: minio.region, regionEndpoint: minio.endpoint } };
    await freshConfig({ storage });
    await ensureAvailable();
    await expectCondition('StorageExists', 'True', 'S3 Bucket Exists');
    // An existing bucket under a name the user gave is not ours to configure or delete.
    expect(await storageManagementState()).toBe('Unmanaged');

    await expectGone(await deleteConfig());
    expect(await s3ObjectKeys(minio, bucket)).toEqual(Object.keys(images));

    // The same bucket again, then Removed (upstream would delete a bucket it had marked Managed here).
    await freshConfig({ storage });
    await ensureAvailable();
    expect(await storageManagementState()).toBe('Unmanaged');
    await setRemoved();
    await expectCondition('StorageExists', 'False', 'StorageUnmanaged');
    expect(await s3ObjectKeys(minio, bucket)).toEqual(Object.keys(images));
  });
});
