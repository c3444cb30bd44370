import { describe, expect, it } from 'vitest';
import { StorageError } from '../driver.ts';
import { fakeS3, s3Error } from './fake-s3.test-support.ts';

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
