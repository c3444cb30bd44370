import { describe, expect, it } from 'vitest';
import { fakeS3, s3Error } from './fake-s3.test-support.ts';
import { lifecycleRuleID } from './settings.ts';

describe('S3 managed settings', () => {
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
