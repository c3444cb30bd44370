import { describe, expect, it } from 'vitest';
import type { ClusterFacts } from '../../cluster.ts';
import { sharedCredentialsFile } from '../../credentials/s3.ts';
import { StorageError } from '../driver.ts';
import { normalizeEndpoint, type S3Api, type S3ClientSettings } from './client.ts';
import { S3Driver } from './driver.ts';
import { s3ErrorCode } from './errors.ts';
import { lifecycleRuleID } from './settings.ts';

const cluster: ClusterFacts = {
  infrastructureName: 'mycluster-abc12',
  platform: 'AWS',
  hasInfrastructure: true,
  aws: { region: 'eu-west-1', serviceEndpoints: [], resourceTags: [{ key: 'team', value: 'infra' }] },
  gcp: { resourceLabels: [] },
  azure: { resourceTags: [] },
};
const credentials = {
  kind: 'static' as const,
  accessKeyId: 'AK',
  secretAccessKey: 'SK',
  sharedCredentialsFile: sharedCredentialsFile('AK', 'SK'),
};

/** An S3 service error as the SDK throws it. */
function s3Error(name: string, status: number, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

type Handler = (input: Record<string, unknown>) => unknown;

/** A fake S3: per-command handlers; records every call; Get* reads back the last Put*. */
function fakeS3(handlers: Record<string, Handler> = {}) {
  const calls: { command: string; input: Record<string, unknown> }[] = [];
  const lastPut = (command: string, field: string) => () => ({
    [field]: calls.findLast((c) => c.command === command)?.input[field],
  });
  const readBack: Record<string, Handler> = {
    GetPublicAccessBlock: lastPut('PutPublicAccessBlock', 'PublicAccessBlockConfiguration'),
    GetBucketEncryption: lastPut('PutBucketEncryption', 'ServerSideEncryptionConfiguration'),
  };
  const settings: S3ClientSettings[] = [];
  const api: S3Api = {
    send(command: object) {
      const name = command.constructor.name.replace(/Command$/, '');
      const input = (command as { input: Record<string, unknown> }).input;
      calls.push({ command: name, input });
      const h = handlers[name] ?? readBack[name];
      try {
        return Promise.resolve(h ? h(input) : {});
      } catch (err) {
        return Promise.reject(err);
      }
    },
  };
  const driver = (extra: Partial<ConstructorParameters<typeof S3Driver>[0]> = {}) =>
    new S3Driver({
      cluster,
      credentials,
      clientFactory: (s) => {
        settings.push(s);
        return api;
      },
      sleep: () => Promise.resolve(),
      ...extra,
    });
  return { calls, settings, driver, names: () => calls.map((c) => c.command) };
}

describe('S3 completeConfiguration', () => {
  it('takes the region from the platform and names the bucket <infra>-image-registry-<region>', () => {
    expect(fakeS3().driver().completeConfiguration({})).toEqual({
      config: { region: 'eu-west-1', bucket: 'mycluster-abc12-image-registry-eu-west-1' },
      generatedName: true,
    });
  });

  it('uses the platform S3 endpoint with virtual-hosted style when the spec names neither region nor endpoint', () => {
    const c = {
      ...cluster,
      aws: { ...cluster.aws, serviceEndpoints: [{ name: 's3', url: 'https://s3.internal' }] },
    };
    const d = new S3Driver({ cluster: c, credentials });
    expect(d.completeConfiguration({}).config).toMatchObject({
      regionEndpoint: 'https://s3.internal',
      virtualHostedStyle: true,
    });
  });

  it('keeps a user bucket and endpoint, defaulting the region to us-east-1 off AWS', () => {
    const d = new S3Driver({
      cluster: { ...cluster, aws: { serviceEndpoints: [], resourceTags: [] } },
      credentials,
    });
    expect(d.completeConfiguration({ bucket: 'mine', regionEndpoint: 'http://minio:9000' })).toEqual({
      config: { bucket: 'mine', regionEndpoint: 'http://minio:9000', region: 'us-east-1' },
      generatedName: false,
    });
  });
});

describe('S3 client settings', () => {
  it('uses path style for a custom endpoint unless virtual-hosted style is asked for', () => {
    const d = fakeS3().driver({ caBundle: 'PEM' });
    expect(d.settings({ region: 'us-east-1', regionEndpoint: 'minio.local:9000' })).toMatchObject({
      endpoint: 'https://minio.local:9000',
      forcePathStyle: true,
      caBundle: 'PEM',
    });
    expect(
      d.settings({ region: 'us-east-1', regionEndpoint: 'https://s3.x', virtualHostedStyle: true })
        .forcePathStyle,
    ).toBe(false);
    expect(d.settings({ region: 'eu-west-1' })).toMatchObject({
      endpoint: undefined,
      forcePathStyle: false,
    });
  });

  it('adds https:// only when the endpoint has no scheme', () => {
    expect(normalizeEndpoint('http://a:1')).toBe('http://a:1');
    expect(normalizeEndpoint('a:1')).toBe('https://a:1');
  });
});

describe('S3 storageExists', () => {
  it("explains a bare 403 with S3's own code (a HEAD answer has no body)", async () => {
    const s3 = fakeS3({
      HeadBucket: () => {
        throw s3Error('403', 403, 'UnknownError');
      },
      GetBucketLocation: () => {
        throw s3Error(
          'InvalidAccessKeyId',
          403,
          'The Access Key Id you provided does not exist in our records.',
        );
      },
    });
    const err = await s3
      .driver()
      .storageExists({ bucket: 'b', region: 'us-east-1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).conditions[0]).toMatchObject({
      status: 'False',
      reason: 'InvalidAccessKeyId',
    });
  });

  it('is True when HeadBucket succeeds', async () => {
    const r = await fakeS3().driver().storageExists({ bucket: 'b', region: 'eu-west-1' });
    expect(r).toEqual({
      exists: true,
      condition: {
        type: 'StorageExists',
        status: 'True',
        reason: 'S3 Bucket Exists',
        message: 'S3 bucket b exists and is accessible',
      },
    });
  });

  it('is False with the AWS code when the bucket is missing', async () => {
    const s3 = fakeS3({
      HeadBucket: () => {
        throw s3Error('NotFound', 404);
      },
    });
    const r = await s3.driver().storageExists({ bucket: 'b' });
    expect(r.exists).toBe(false);
    expect(r.condition).toMatchObject({ status: 'False', reason: 'NotFound' });
  });

  it('treats 403 as an error, never as "absent" (the bucket may be someone else\'s)', async () => {
    const s3 = fakeS3({
      HeadBucket: () => {
        throw s3Error('Unknown', 403, 'UnknownError');
      },
    });
    const err = await s3
      .driver()
      .storageExists({ bucket: 'b' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).conditions).toEqual([
      {
        type: 'StorageExists',
        status: 'False',
        reason: 'Forbidden',
        message: 'HeadBucket b: Forbidden (HTTP 403)',
      },
    ]);
  });

  it('is Unknown for a network error', async () => {
    const s3 = fakeS3({
      HeadBucket: () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
      },
    });
    const err = (await s3
      .driver()
      .storageExists({ bucket: 'b' })
      .catch((e: unknown) => e)) as StorageError;
    expect(err.conditions[0]).toMatchObject({
      status: 'Unknown',
      reason: 'Unknown Error Occurred',
      message: 'HeadBucket b: connect ECONNREFUSED 127.0.0.1:9',
    });
    expect(err.retriable).toBe(true);
  });
});

describe('S3 createStorage', () => {
  it('creates the bucket with an explicit LocationConstraint outside us-east-1 and configures it when Managed', async () => {
    let heads = 0;
    const s3 = fakeS3({ HeadBucket: () => (heads++ === 0 ? {} : {}) });
    const r = await s3.driver().createStorage({ bucket: 'b', region: 'eu-west-1' }, 'Managed', false);
    expect(s3.names()).toEqual([
      'CreateBucket',
      'HeadBucket',
      'PutPublicAccessBlock',
      'GetPublicAccessBlock',
      'PutBucketTagging',
      'PutBucketEncryption',
      'GetBucketEncryption',
      'PutBucketLifecycleConfiguration',
    ]);
    expect(s3.calls[0]?.input).toEqual({
      Bucket: 'b',
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
    });
    expect(r.created).toBe(true);
    expect(r.config).toEqual({ bucket: 'b', region: 'eu-west-1', encrypt: true });
    expect(r.conditions).toEqual([
      {
        type: 'StorageExists',
        status: 'True',
        reason: 'Creation Successful',
        message: 'S3 bucket was successfully created',
      },
      {
        type: 'StoragePublicAccessBlocked',
        status: 'True',
        reason: 'Public Access Block Successful',
        message: 'Public access to the S3 bucket and its contents have been successfully blocked.',
      },
      {
        type: 'StorageTagged',
        status: 'True',
        reason: 'Tagging Successful',
        message: 'Tags were successfully applied to the S3 bucket',
      },
      {
        type: 'StorageEncrypted',
        status: 'True',
        reason: 'Encryption Successful',
        message: 'Default AES256 encryption was successfully enabled on the S3 bucket',
      },
      {
        type: 'StorageIncompleteUploadCleanupEnabled',
        status: 'True',
        reason: 'Enable Cleanup Successful',
        message: 'Default cleanup of incomplete multipart uploads after one (1) day was successfully enabled',
      },
    ]);
  });

  it('names no LocationConstraint in us-east-1', async () => {
    const s3 = fakeS3();
    await s3.driver().createStorage({ bucket: 'b', region: 'us-east-1' }, 'Managed', false);
    expect(s3.calls[0]?.input).toEqual({ Bucket: 'b' });
  });

  it('applies the cluster tags, the Name tag and the platform tags', async () => {
    const s3 = fakeS3();
    await s3.driver().createStorage({ bucket: 'b', region: 'eu-west-1' }, 'Managed', true);
    expect(s3.calls.find((c) => c.command === 'PutBucketTagging')?.input).toEqual({
      Bucket: 'b',
      Tagging: {
        TagSet: [
          { Key: 'kubernetes.io/cluster/mycluster-abc12', Value: 'owned' },
          { Key: 'Name', Value: 'mycluster-abc12-image-registry' },
          { Key: 'team', Value: 'infra' },
        ],
      },
    });
  });

  it('encrypts with the KMS key and bucket key when keyID is set', async () => {
    const s3 = fakeS3();
    const r = await s3
      .driver()
      .createStorage({ bucket: 'b', region: 'eu-west-1', keyID: 'arn:kms:k' }, 'Managed', true);
    expect(s3.calls.find((c) => c.command === 'PutBucketEncryption')?.input).toEqual({
      Bucket: 'b',
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:kms:k' },
            BucketKeyEnabled: true,
          },
        ],
      },
    });
    expect(r.conditions.find((c) => c.type === 'StorageEncrypted')?.message).toBe(
      'Default aws:kms encryption was successfully enabled on the S3 bucket',
    );
  });

  it('sets the lifecycle rule that aborts incomplete multipart uploads after one day', async () => {
    const s3 = fakeS3();
    await s3.driver().createStorage({ bucket: 'b', region: 'eu-west-1' }, 'Managed', true);
    expect(s3.calls.find((c) => c.command === 'PutBucketLifecycleConfiguration')?.input).toEqual({
      Bucket: 'b',
      LifecycleConfiguration: {
        Rules: [
          {
            ID: lifecycleRuleID,
            Status: 'Enabled',
            Filter: { Prefix: '' },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
    });
  });

  it('marks a setting the endpoint does not implement NotSupportedByEndpoint and lets everything else succeed', async () => {
    const s3 = fakeS3({
      PutPublicAccessBlock: () => {
        throw s3Error(
          'NotImplemented',
          501,
          'A header you provided implies functionality that is not implemented',
        );
      },
    });
    const r = await s3
      .driver()
      .createStorage(
        { bucket: 'b', region: 'us-east-1', regionEndpoint: 'http://minio:9000' },
        'Managed',
        true,
      );
    expect(r.conditions.find((c) => c.type === 'StoragePublicAccessBlocked')).toEqual({
      type: 'StoragePublicAccessBlocked',
      status: 'False',
      reason: 'NotSupportedByEndpoint',
      message:
        'http://minio:9000 does not implement PutPublicAccessBlock; the operator cannot apply this setting to bucket b',
    });
    expect(r.conditions.filter((c) => c.status === 'True').map((c) => c.type)).toEqual([
      'StorageExists',
      'StorageTagged',
      'StorageEncrypted',
      'StorageIncompleteUploadCleanupEnabled',
    ]);
  });

  it('marks a setting an S3-compatible endpoint rejects as malformed NotSupportedByEndpoint, but not on AWS', async () => {
    const s3 = fakeS3({
      PutBucketLifecycleConfiguration: () => {
        throw s3Error('InvalidArgument', 400, 'The XML you provided was not well-formed');
      },
    });
    const custom = await s3
      .driver()
      .createStorage(
        { bucket: 'b', region: 'us-east-1', regionEndpoint: 'http://minio:9000' },
        'Managed',
        true,
      );
    expect(custom.conditions.find((c) => c.type === 'StorageIncompleteUploadCleanupEnabled')).toEqual({
      type: 'StorageIncompleteUploadCleanupEnabled',
      status: 'False',
      reason: 'NotSupportedByEndpoint',
      message:
        'http://minio:9000 does not support PutBucketLifecycleConfiguration as AWS S3 does (InvalidArgument: The XML you provided was not well-formed); ' +
        'the operator cannot apply this setting to bucket b',
    });
    const aws = await s3.driver().createStorage({ bucket: 'b', region: 'us-east-1' }, 'Managed', true);
    expect(aws.conditions.find((c) => c.type === 'StorageIncompleteUploadCleanupEnabled')).toMatchObject({
      status: 'False',
      reason: 'InvalidArgument',
    });
  });

  it('reports a failed setting with the AWS code without failing the whole provisioning', async () => {
    const s3 = fakeS3({
      PutBucketEncryption: () => {
        throw s3Error('AccessDenied', 403, 'Access Denied');
      },
    });
    const r = await s3.driver().createStorage({ bucket: 'b', region: 'us-east-1' }, 'Managed', true);
    expect(r.conditions.find((c) => c.type === 'StorageEncrypted')).toEqual({
      type: 'StorageEncrypted',
      status: 'False',
      reason: 'AccessDenied',
      message: 'PutBucketEncryption b: AccessDenied: Access Denied (HTTP 403)',
    });
    expect(r.config.encrypt).toBeUndefined();
  });

  it("touches nothing on an Unmanaged bucket and says it is the user's", async () => {
    const s3 = fakeS3();
    const r = await s3.driver().createStorage({ bucket: 'mine', region: 'us-east-1' }, 'Unmanaged', true);
    expect(s3.names()).toEqual([]);
    expect(r.conditions).toEqual([
      {
        type: 'StorageExists',
        status: 'True',
        reason: 'S3 Bucket Exists',
        message: 'User supplied S3 bucket exists and is accessible',
      },
    ]);
  });

  it('reuses a bucket the account already owns', async () => {
    const s3 = fakeS3({
      CreateBucket: () => {
        throw s3Error('BucketAlreadyOwnedByYou', 409);
      },
    });
    const r = await s3.driver().createStorage({ bucket: 'b', region: 'us-east-1' }, 'Managed', false);
    expect(r.created).toBe(false);
    expect(r.conditions[0]).toMatchObject({ status: 'True', reason: 'S3 Bucket Exists' });
  });

  it('refuses a name taken by another account, without retrying', async () => {
    const s3 = fakeS3({
      CreateBucket: () => {
        throw s3Error('BucketAlreadyExists', 409);
      },
    });
    const err = (await s3
      .driver()
      .createStorage({ bucket: 'b', region: 'us-east-1' }, 'Managed', false)
      .catch((e: unknown) => e)) as StorageError;
    expect(err.retriable).toBe(false);
    expect(err.conditions).toEqual([
      {
        type: 'StorageExists',
        status: 'False',
        reason: 'Unable to Access Bucket',
        message: 'The bucket b exists, but is owned by another account',
      },
    ]);
  });
});

describe('S3 read-back of the settings', () => {
  it('reports a setting the endpoint accepted but did not keep', async () => {
    const s3 = fakeS3({
      GetPublicAccessBlock: () => ({ PublicAccessBlockConfiguration: { BlockPublicAcls: true } }),
      GetBucketEncryption: () => ({
        ServerSideEncryptionConfiguration: {
          Rules: [
            { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false },
          ],
        },
      }),
    });
    const r = await s3.driver().createStorage({ bucket: 'b', region: 'us-east-1' }, 'Managed', true);
    const byType = Object.fromEntries(r.conditions.map((c) => [c.type, c]));
    expect(byType['StoragePublicAccessBlocked']).toMatchObject({
      status: 'False',
      reason: 'NotAppliedByEndpoint',
      message: expect.stringContaining(
        'BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets read back as not true',
      ),
    });
    expect(byType['StorageEncrypted']).toMatchObject({
      status: 'False',
      message: expect.stringContaining('BucketKeyEnabled'),
    });
    expect(r.config.encrypt).toBeUndefined();
  });
});

describe('S3 removeStorage', () => {
  it('deletes every object version, then the bucket', async () => {
    let listed = 0;
    const s3 = fakeS3({
      ListObjectVersions: () =>
        listed++ === 0
          ? {
              Versions: [
                { Key: 'a', VersionId: 'null' },
                { Key: 'b', VersionId: 'v2' },
              ],
              DeleteMarkers: [{ Key: 'c', VersionId: 'm1' }],
            }
          : {},
    });
    const r = await s3.driver().removeStorage({ bucket: 'b' });
    expect(s3.names()).toEqual([
      'ListObjectVersions',
      'DeleteObjects',
      'ListObjectVersions',
      'ListMultipartUploads',
      'DeleteBucket',
    ]);
    expect(s3.calls[1]?.input).toEqual({
      Bucket: 'b',
      Delete: {
        Objects: [{ Key: 'a' }, { Key: 'b', VersionId: 'v2' }, { Key: 'c', VersionId: 'm1' }],
        Quiet: true,
      },
    });
    expect(r.condition).toEqual({
      type: 'StorageExists',
      status: 'False',
      reason: 'S3 Bucket Deleted',
      message: 'The S3 bucket has been removed.',
    });
  });

  it('falls back to listing objects where versions are not implemented', async () => {
    let listed = 0;
    const s3 = fakeS3({
      ListObjectVersions: () => {
        throw s3Error('NotImplemented', 501);
      },
      ListObjectsV2: () => (listed++ === 0 ? { Contents: [{ Key: 'x' }] } : {}),
    });
    await s3.driver().removeStorage({ bucket: 'b' });
    expect(s3.names()).toEqual([
      'ListObjectVersions',
      'ListObjectsV2',
      'DeleteObjects',
      'ListObjectsV2',
      'ListMultipartUploads',
      'DeleteBucket',
    ]);
  });

  it('aborts the multipart uploads an interrupted push left behind', async () => {
    let listed = 0;
    const s3 = fakeS3({
      ListMultipartUploads: () => (listed++ === 0 ? { Uploads: [{ Key: 'k', UploadId: 'u1' }] } : {}),
    });
    await s3.driver().removeStorage({ bucket: 'b' });
    expect(s3.calls.find((c) => c.command === 'AbortMultipartUpload')?.input).toEqual({
      Bucket: 'b',
      Key: 'k',
      UploadId: 'u1',
    });
    expect(s3.names().at(-1)).toBe('DeleteBucket');
  });

  it('succeeds when the bucket is already gone', async () => {
    const s3 = fakeS3({
      ListObjectVersions: () => {
        throw s3Error('NoSuchBucket', 404);
      },
    });
    expect((await s3.driver().removeStorage({ bucket: 'b' })).condition).toMatchObject({
      reason: 'S3 Bucket Deleted',
      message: 'The S3 bucket did not exist.',
    });
  });

  it('fails, to be retried, when objects cannot be deleted', async () => {
    let listed = 0;
    const s3 = fakeS3({
      ListObjectVersions: () => (listed++ < 5 ? { Versions: [{ Key: 'a' }] } : {}),
      DeleteObjects: () => ({ Errors: [{ Key: 'a', Code: 'AccessDenied', Message: 'no' }] }),
    });
    const err = (await s3
      .driver()
      .removeStorage({ bucket: 'b' })
      .catch((e: unknown) => e)) as StorageError;
    expect(err).toBeInstanceOf(StorageError);
    expect(err.message).toContain('1 objects not deleted, first a: AccessDenied no');
    expect(s3.names()).not.toContain('DeleteBucket');
  });
});

describe('s3ErrorCode', () => {
  it('prefers the service code and derives one from the status for bodiless answers', () => {
    expect(s3ErrorCode(s3Error('NoSuchBucket', 404))).toBe('NoSuchBucket');
    expect(s3ErrorCode(s3Error('Unknown', 403))).toBe('Forbidden');
    expect(s3ErrorCode(s3Error('Unknown', 501))).toBe('NotImplemented');
    expect(s3ErrorCode(new Error('plain'))).toBeUndefined();
  });
});

describe('S3 private configuration', () => {
  it('is the shared credentials file under the key credentials', () => {
    expect(fakeS3().driver().privateConfiguration()).toEqual({
      credentials: '[default]\naws_access_key_id = AK\naws_secret_access_key = SK\n',
    });
  });
});

describe('S3 dispose', () => {
  it('closes every client it opened', async () => {
    let destroyed = 0;
    const d = new S3Driver({
      cluster,
      credentials,
      clientFactory: () => ({ send: () => Promise.resolve({}), destroy: () => void destroyed++ }),
    });
    await d.storageExists({ bucket: 'a', region: 'us-east-1' });
    await d.storageExists({ bucket: 'a', region: 'eu-west-1' });
    d.dispose();
    expect(destroyed).toBe(2);
  });
});
