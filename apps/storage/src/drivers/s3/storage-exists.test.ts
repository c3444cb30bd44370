import { describe, expect, it } from 'vitest';
import { StorageError } from '../driver.ts';
import { fakeS3, s3Error } from './fake-s3.test-support.ts';

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
