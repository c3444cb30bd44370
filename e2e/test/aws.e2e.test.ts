// aws_test.go (TestAWS*, bar the finalizer test: see the README) and imageconfig_test.go's TestSwapStorage,
// which needs a platform whose default storage is not emptyDir. The platform is AWS with its S3 service
// endpoint at MinIO; the credentials are what the cloud-credential-operator would mint.
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { s3BucketFacts } from '@image-registry/testing';
import {
  ensureAvailable,
  ensureClusterOperatorNormal,
  ensureInternalRegistryHostnameIsSet,
  ensureNodeCADaemonSetIsAvailable,
  ensureNotHotLooping,
  get,
  getConfig,
  kubectl,
  namespace,
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
  deleteSecret,
  emulators,
  expectCondition,
  privateSecret,
  readSecret,
  registryEnv,
  replaceStorage,
  testInfrastructureName,
  userSecret,
} from '../src/storage.ts';

const minio = emulators.minio;
/** Upstream's invalid keys. */
const fakeAWSCredsData = {
  REGISTRY_STORAGE_S3_ACCESSKEY: 'myAccessKey',
  REGISTRY_STORAGE_S3_SECRETKEY: 'mySecretKey',
};

/**
 * Upstream's REGISTRY_STORAGE_S3_CREDENTIALSCONFIGPATH is the openshift registry's; the CNCF registry
 * (plain Kubernetes) reads the same file through the AWS SDK's own variables.
 */
const credentialsFileEnv = {
  AWS_SHARED_CREDENTIALS_FILE: '/var/run/secrets/cloud/credentials',
  AWS_CONFIG_FILE: '/var/run/secrets/cloud/credentials',
};

/** An AWS cluster of its own name, cloud credentials minted; undone after the teardown. */
async function onAWS(): Promise<string> {
  const infra = testInfrastructureName();
  onTestFinished(restorePlatformNone);
  await setInfrastructure(awsInfrastructure(infra, minio));
  await createSecret(cloudSecret, {
    aws_access_key_id: minio.accessKeyId,
    aws_secret_access_key: minio.secretAccessKey,
  });
  return infra;
}

/** The keys of an AWS shared credentials file, to use it as upstream's test does. */
function sharedCredentials(file: string) {
  const key = (name: string) => file.match(new RegExp(`^${name}\\s*=\\s*(\\S+)`, 'm'))?.[1] ?? '';
  return { ...minio, accessKeyId: key('aws_access_key_id'), secretAccessKey: key('aws_secret_access_key') };
}

describe('AWS (S3 on MinIO)', () => {
  afterEach(teardown);

  it('TestAWSDefaults', async () => {
    const infra = await onAWS();
    await bootstrapConfig('AWS');
    await ensureAvailable();
    await ensureInternalRegistryHostnameIsSet();
    await ensureClusterOperatorNormal();
    await ensureNotHotLooping();
    // Upstream checks service-ca's injection annotation; without service-ca the bundle is the app's own.
    const serviceca = await get<{ data?: Record<string, string> }>(
      `/api/v1/namespaces/${namespace}/configmaps/serviceca`,
    );
    expect(serviceca?.data?.['service-ca.crt']).toContain('BEGIN CERTIFICATE');
    await ensureNodeCADaemonSetIsAvailable();

    const config = await getConfig();
    expect(config?.status?.['readyReplicas']).toBe(2);
    const { spec } = await configStorage();
    const s3 = spec['s3'] as { region?: string; bucket?: string; encrypt?: boolean };
    expect(s3.region).toBe(minio.region);
    expect(s3.bucket).toBe(`${infra}-image-registry-${minio.region}`);
    expect(spec['managementState']).toBe('Managed');

    await expectCondition('StorageExists', 'True', 'S3 Bucket Exists');
    await expectCondition('StorageTagged', 'True', 'Tagging Successful');
    await expectCondition('StorageEncrypted', 'True', 'Encryption Successful');
    // Deliberate: MinIO has neither the AbortIncompleteMultipartUpload action nor public access blocks,
    // and the operator says so instead of failing (on AWS both are True, as upstream expects).
    await expectCondition('StorageIncompleteUploadCleanupEnabled', 'False', 'NotSupportedByEndpoint');
    await expectCondition('StoragePublicAccessBlocked', 'False', 'NotSupportedByEndpoint');

    // The private configuration is a working AWS credentials file for the bucket.
    const credentials = (await readSecret(privateSecret))?.['credentials'] ?? '';
    const facts = await s3BucketFacts(sharedCredentials(credentials), s3.bucket ?? '');
    expect(facts?.tags[`kubernetes.io/cluster/${infra}`]).toBe('owned');
    expect(facts?.encryption).toMatchObject({ algorithm: 'AES256' });
    expect(facts?.encryption?.bucketKeyEnabled ?? true).toBe(true);

    expect(await registryEnv()).toMatchObject({
      REGISTRY_STORAGE: 's3',
      REGISTRY_STORAGE_S3_BUCKET: s3.bucket,
      REGISTRY_STORAGE_S3_REGION: s3.region,
      REGISTRY_STORAGE_S3_ENCRYPT: String(s3.encrypt),
      ...credentialsFileEnv,
    });
  });

  it('TestAWSUnableToCreateBucketOnStartup', async () => {
    const infra = await onAWS();
    await createSecret(userSecret, fakeAWSCredsData);
    await bootstrapConfig('AWS');
    await expectCondition('StorageExists', 'False', 'InvalidAccessKeyId');
    // A refused request never creates the bucket.
    expect(await s3BucketFacts(minio, `${infra}-image-registry-${minio.region}`)).toBeUndefined();

    await deleteSecret(userSecret);
    await expectCondition('StorageExists', 'True', 'S3 Bucket Exists');
    await ensureAvailable();
    await ensureInternalRegistryHostnameIsSet();
    await ensureClusterOperatorNormal();
  });

  it('TestAWSUpdateCredentials', async () => {
    await onAWS();
    await bootstrapConfig('AWS');
    await ensureAvailable();
    await ensureInternalRegistryHostnameIsSet();
    await ensureClusterOperatorNormal();
    const working = await readSecret(privateSecret);

    // The user's keys override the minted ones: the bucket is now checked with the invalid keys.
    await createSecret(userSecret, fakeAWSCredsData);
    await expectCondition('StorageExists', 'False', 'InvalidAccessKeyId');
    // Deliberate: the registry keeps the last keys that worked until new ones do.
    expect(await readSecret(privateSecret)).toEqual(working);

    await deleteSecret(userSecret);
    await expectCondition('StorageExists', 'True', 'S3 Bucket Exists');
    await ensureAvailable();
    await ensureInternalRegistryHostnameIsSet();
    await ensureClusterOperatorNormal();
  });

  it('TestAWSChangeS3Encryption', async () => {
    await onAWS();
    await bootstrapConfig('AWS');
    await ensureAvailable();
    await ensureInternalRegistryHostnameIsSet();
    await ensureClusterOperatorNormal();
    const bucket = () => configStorage().then((s) => (s.spec['s3'] as { bucket?: string }).bucket ?? '');
    await expect
      .poll(async () => (await s3BucketFacts(minio, await bucket()))?.encryption?.algorithm, { timeout })
      .toBe('AES256');

    // Upstream's testKey is unknown to MinIO's KMS: its one static key stands in.
    await kubectl(
      'patch',
      'configs.imageregistry.operator.openshift.io',
      'cluster',
      '--type',
      'merge',
      '-p',
      `{"spec": {"storage": {"s3": {"keyID": "${minio.kmsKeyId}"}}}}`,
    );
    await expect
      .poll(async () => (await s3BucketFacts(minio, await bucket()))?.encryption, { timeout })
      .toMatchObject({ algorithm: 'aws:kms', kmsKeyId: expect.stringContaining(minio.kmsKeyId) });

    const { spec } = await configStorage();
    const s3 = spec['s3'] as { region?: string; bucket?: string; encrypt?: boolean };
    await expect.poll(registryEnv, { timeout }).toMatchObject({
      REGISTRY_STORAGE: 's3',
      REGISTRY_STORAGE_S3_BUCKET: s3.bucket,
      REGISTRY_STORAGE_S3_REGION: s3.region,
      REGISTRY_STORAGE_S3_ENCRYPT: String(s3.encrypt),
      REGISTRY_STORAGE_S3_KEYID: minio.kmsKeyId,
      ...credentialsFileEnv,
    });
  });

  it('TestSwapStorage', async () => {
    await onAWS();
    await bootstrapConfig('AWS');
    await ensureAvailable();
    await ensureClusterOperatorNormal();
    expect((await configStorage()).status['emptyDir']).toBeUndefined();

    await replaceStorage({ emptyDir: {} });
    await ensureAvailable();
    await ensureNotHotLooping();
    expect((await configStorage()).status).toEqual({ managementState: 'Managed', emptyDir: {} });
  });
});
