import { describe, expect, it } from 'vitest';
import type { StorageError } from '../driver.ts';
import { normalizeEndpoint } from './client.ts';
import { s3ErrorCode } from './errors.ts';
import { cluster, credentials, fakeS3, s3Error } from './fake-s3.test-support.ts';
import { S3Driver } from './driver.ts';

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
