// Real SDK clients for looking into the storage emulators from a test, independently of the app under
// test. The SDKs load on first use (dynamic import), so importing @image-registry/testing stays cheap.
import type { S3Client } from '@aws-sdk/client-s3';

/** How to reach an S3 endpoint (MinIO's endpoint, region and root keys). */
export interface S3Access {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** What a test checks on a bucket the operator provisioned. */
export interface S3BucketFacts {
  tags: Record<string, string>;
  /** The first default-encryption rule, when there is one. */
  encryption?: { algorithm?: string; kmsKeyId?: string; bucketKeyEnabled?: boolean };
}

async function s3Client(access: S3Access): Promise<S3Client> {
  const { S3Client } = await import('@aws-sdk/client-s3');
  return new S3Client({
    region: access.region,
    endpoint: access.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: access.accessKeyId, secretAccessKey: access.secretAccessKey },
  });
}

const status = (err: unknown) =>
  (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** The bucket's tags and default encryption, or undefined when the bucket does not exist. */
export async function s3BucketFacts(access: S3Access, bucket: string): Promise<S3BucketFacts | undefined> {
  const sdk = await import('@aws-sdk/client-s3');
  const s3 = await s3Client(access);
  try {
    try {
      await s3.send(new sdk.HeadBucketCommand({ Bucket: bucket }));
    } catch (err) {
      if (status(err) === 404) return undefined;
      throw err;
    }
    const tagSet = await s3.send(new sdk.GetBucketTaggingCommand({ Bucket: bucket })).then(
      (r) => r.TagSet ?? [],
      (err: unknown) => (status(err) === 404 ? [] : Promise.reject(err)),
    );
    const rule = await s3.send(new sdk.GetBucketEncryptionCommand({ Bucket: bucket })).then(
      (r) => r.ServerSideEncryptionConfiguration?.Rules?.[0],
      (err: unknown) => (status(err) === 404 ? undefined : Promise.reject(err)),
    );
    const facts: S3BucketFacts = {
      tags: Object.fromEntries(tagSet.map((t) => [t.Key ?? '', t.Value ?? ''])),
    };
    if (rule) {
      facts.encryption = {
        ...(rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm
          ? { algorithm: rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm }
          : {}),
        ...(rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID
          ? { kmsKeyId: rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID }
          : {}),
        ...(rule.BucketKeyEnabled === undefined ? {} : { bucketKeyEnabled: rule.BucketKeyEnabled }),
      };
    }
    return facts;
  } finally {
    s3.destroy();
  }
}

/** Creates a bucket holding `objects` (key → body), as a user would before pointing the registry at it. */
export async function s3CreateBucket(
  access: S3Access,
  bucket: string,
  objects: Record<string, string> = {},
): Promise<void> {
  const sdk = await import('@aws-sdk/client-s3');
  const s3 = await s3Client(access);
  try {
    await s3.send(new sdk.CreateBucketCommand({ Bucket: bucket }));
  } finally {
    s3.destroy();
  }
  await s3PutObjects(access, bucket, objects);
}

/** Writes `objects` (key → body) into a bucket, as a push into the registry would. */
export async function s3PutObjects(
  access: S3Access,
  bucket: string,
  objects: Record<string, string>,
): Promise<void> {
  const sdk = await import('@aws-sdk/client-s3');
  const s3 = await s3Client(access);
  try {
    for (const [Key, Body] of Object.entries(objects))
      await s3.send(new sdk.PutObjectCommand({ Bucket: bucket, Key, Body }));
  } finally {
    s3.destroy();
  }
}

/** The keys of every object in the bucket (sorted), or undefined when the bucket does not exist. */
export async function s3ObjectKeys(access: S3Access, bucket: string): Promise<string[] | undefined> {
  const sdk = await import('@aws-sdk/client-s3');
  const s3 = await s3Client(access);
  try {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new sdk.ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token);
    return keys.sort();
  } catch (err) {
    if (status(err) === 404) return undefined;
    throw err;
  } finally {
    s3.destroy();
  }
}

/** Deletes a bucket and whatever it holds (a test's own bucket, afterwards); absent is fine. */
export async function s3DeleteBucket(access: S3Access, bucket: string): Promise<void> {
  const sdk = await import('@aws-sdk/client-s3');
  const keys = await s3ObjectKeys(access, bucket);
  if (keys === undefined) return;
  const s3 = await s3Client(access);
  try {
    for (const Key of keys) await s3.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key }));
    await s3.send(new sdk.DeleteBucketCommand({ Bucket: bucket }));
  } finally {
    s3.destroy();
  }
}

/** How to reach fake-gcs-server (it checks no credentials). */
export interface GcsAccess {
  endpoint: string;
  projectId: string;
}

/** Creates a bucket as a user would before pointing the registry at it. */
export async function gcsCreateBucket(access: GcsAccess, name: string): Promise<void> {
  const { Storage } = await import('@google-cloud/storage');
  await new Storage({ apiEndpoint: access.endpoint, projectId: access.projectId }).createBucket(name);
}

/** The names of every bucket, sorted. */
export async function gcsBucketNames(access: GcsAccess): Promise<string[]> {
  const { Storage } = await import('@google-cloud/storage');
  const [buckets] = await new Storage({
    apiEndpoint: access.endpoint,
    projectId: access.projectId,
  }).getBuckets();
  return buckets.map((b) => b.name).sort();
}

/** The names of every container of the Azurite account, sorted. */
export async function azureContainerNames(access: { connectionString: string }): Promise<string[]> {
  const { BlobServiceClient } = await import('@azure/storage-blob');
  const names: string[] = [];
  for await (const c of BlobServiceClient.fromConnectionString(access.connectionString).listContainers())
    names.push(c.name);
  return names.sort();
}
