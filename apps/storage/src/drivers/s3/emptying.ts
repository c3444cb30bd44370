import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  type ObjectIdentifier,
} from '@aws-sdk/client-s3';
import type { S3Api } from './client.ts';
import { s3ErrorCode } from './errors.ts';

type Entry = { Key?: string; VersionId?: string };

/** One page of what is left: every version and delete marker, or plain objects where versions are not listed. */
async function nextBatch(
  client: S3Api,
  bucket: string,
  versions: { on: boolean },
  signal?: AbortSignal,
): Promise<ObjectIdentifier[]> {
  if (versions.on) {
    try {
      const page = (await client.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }), {
        abortSignal: signal,
      })) as { Versions?: Entry[]; DeleteMarkers?: Entry[] };
      return [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].flatMap((v) =>
        v.Key
          ? [{ Key: v.Key, ...(v.VersionId && v.VersionId !== 'null' ? { VersionId: v.VersionId } : {}) }]
          : [],
      );
    } catch (err) {
      if (s3ErrorCode(err) !== 'NotImplemented') throw err;
      versions.on = false;
    }
  }
  const page = (await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }), {
    abortSignal: signal,
  })) as { Contents?: Entry[] };
  return (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
}

/**
 * Deletes every object version and delete marker, a page (≤ 1000) at a time. The reconcile's signal is
 * checked between pages, so a deposed leader stops after the page in flight; the next leader resumes.
 */
export async function emptyBucket(client: S3Api, bucket: string, signal?: AbortSignal): Promise<void> {
  const versions = { on: true };
  for (;;) {
    signal?.throwIfAborted();
    const batch = await nextBatch(client, bucket, versions, signal);
    if (batch.length === 0) return;
    signal?.throwIfAborted();
    const out = (await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }),
      { abortSignal: signal },
    )) as { Errors?: { Key?: string; Code?: string; Message?: string }[] };
    const failed = out.Errors?.[0];
    if (failed) {
      throw new Error(
        `DeleteObjects ${bucket}: ${out.Errors?.length} objects not deleted, first ${failed.Key}: ${failed.Code} ${failed.Message ?? ''}`.trim(),
      );
    }
  }
}

/** Aborts the multipart uploads an interrupted push left behind (some stores refuse to delete a bucket with them). */
export async function abortUploads(client: S3Api, bucket: string, signal?: AbortSignal): Promise<void> {
  for (;;) {
    signal?.throwIfAborted();
    let page: { Uploads?: { Key?: string; UploadId?: string }[] };
    try {
      page = (await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, MaxUploads: 1000 }), {
        abortSignal: signal,
      })) as typeof page;
    } catch (err) {
      if (s3ErrorCode(err) === 'NotImplemented') return;
      throw err;
    }
    const uploads = (page.Uploads ?? []).filter((u) => u.Key && u.UploadId);
    if (uploads.length === 0) return;
    for (const u of uploads) {
      signal?.throwIfAborted();
      await client.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }),
        {
          abortSignal: signal,
        },
      );
    }
  }
}
