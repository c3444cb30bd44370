import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import type { S3Storage } from '../../storage-types.ts';
import { StorageConditionTypes as T, StorageError, storageExistsCondition } from '../driver.ts';
import { scrubbedError } from '../scrub.ts';
import { defaultRegion, type S3Api } from './client.ts';
import { isNoSuchBucket, s3ErrorCode, s3ErrorText, s3Failure } from './errors.ts';

export interface BucketCallOptions {
  signal: AbortSignal | undefined;
  /** Values cut out of any SDK error kept as a cause. */
  secrets: readonly string[];
  /** Waits between the post-create existence checks (default: a timer). */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

export function bucketError(
  op: string,
  bucket: string,
  err: unknown,
  secrets: readonly string[],
): StorageError {
  return new StorageError(s3ErrorText(op, bucket, err), {
    conditions: [s3Failure(T.exists, op, bucket, err)],
    cause: scrubbedError(err, secrets),
  });
}

/** True when this call created it; false when it already was ours (BucketAlreadyOwnedByYou). */
export async function createBucket(client: S3Api, config: S3Storage, o: BucketCallOptions): Promise<boolean> {
  const bucket = config.bucket ?? '';
  const region = config.region || defaultRegion;
  try {
    await client.send(
      new CreateBucketCommand({
        Bucket: bucket,
        // us-east-1 is the one region that must not be named (the SDK no longer adds it for us).
        ...(region !== defaultRegion
          ? { CreateBucketConfiguration: { LocationConstraint: region as never } }
          : {}),
      }),
      { abortSignal: o.signal },
    );
    return true;
  } catch (err) {
    o.signal?.throwIfAborted();
    const code = s3ErrorCode(err);
    if (code === 'BucketAlreadyOwnedByYou') return false;
    if (code === 'BucketAlreadyExists') {
      throw new StorageError(`bucket ${bucket} exists but is owned by another account`, {
        conditions: [
          storageExistsCondition(
            'False',
            'Unable to Access Bucket',
            `The bucket ${bucket} exists, but is owned by another account`,
          ),
        ],
        retriable: false,
        cause: scrubbedError(err, o.secrets),
      });
    }
    throw bucketError('CreateBucket', bucket, err, o.secrets);
  }
}

/** Waits (up to 20 s) until a new bucket answers HEAD: S3 is eventually consistent about creation. */
export async function waitForBucket(client: S3Api, config: S3Storage, o: BucketCallOptions): Promise<void> {
  const bucket = config.bucket ?? '';
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: o.signal });
      return;
    } catch (err) {
      o.signal?.throwIfAborted();
      last = err;
      if (!isNoSuchBucket(err)) break;
      await sleep(1000);
    }
  }
  throw bucketError('HeadBucket', bucket, last, o.secrets);
}
