import https from 'node:https';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type ObjectIdentifier,
} from '@aws-sdk/client-s3';
import type { DesiredCondition } from '@image-registry/conditions';
import type { ClusterFacts } from '../cluster.ts';
import type { S3Credentials } from '../credentials.ts';
import { deterministicStorageName } from '../names.ts';
import { sameConfig } from '../same-config.ts';
import type { S3Storage } from '../storage-types.ts';
import {
  StorageConditionTypes as T,
  StorageError,
  errorMessage,
  storageExistsCondition,
  type Completion,
  type CreateResult,
  type ExistsResult,
  type RemoveResult,
  type StorageDriver,
  type StorageManagementState,
} from './driver.ts';

/** The slice of S3Client the driver uses: one generic `send`, so tests can answer per command. */
export interface S3Api {
  send(command: object): Promise<unknown>;
  destroy?(): void;
}

export interface S3ClientSettings {
  region: string;
  /** Absent: the SDK's endpoint for the region. */
  endpoint: string | undefined;
  forcePathStyle: boolean;
  credentials: S3Credentials;
  /** PEM bundle from `trustedCA`; when set, it replaces the system roots as upstream does. */
  caBundle: string | undefined;
}

export interface S3DriverOptions {
  cluster: ClusterFacts;
  credentials: S3Credentials;
  caBundle?: string | undefined;
  /** Builds the client (default: a real S3Client). */
  clientFactory?: (settings: S3ClientSettings) => S3Api;
  /** Waits between the post-create existence checks (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
}

/** Upstream's lifecycle rule name, kept so a cluster moved between implementations keeps one rule. */
export const lifecycleRuleID = 'cleanup-incomplete-multipart-registry-uploads';
const defaultRegion = 'us-east-1';
/** Codes an S3-compatible endpoint answers for a setting it does not understand. */
const rejectedAsMalformed = new Set(['MalformedXML', 'InvalidArgument', 'InvalidRequest']);

export function defaultS3Client(s: S3ClientSettings): S3Api {
  const custom = s.endpoint !== undefined;
  return new S3Client({
    region: s.region,
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    forcePathStyle: s.forcePathStyle,
    credentials: {
      accessKeyId: s.credentials.accessKeyId,
      secretAccessKey: s.credentials.secretAccessKey,
      ...(s.credentials.sessionToken ? { sessionToken: s.credentials.sessionToken } : {}),
    },
    maxAttempts: 3,
    customUserAgent: 'image-registry-operator/storage',
    // S3-compatible endpoints often reject the newer default checksums; send them only when required.
    ...(custom
      ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
    requestHandler: {
      connectionTimeout: 10_000,
      requestTimeout: 60_000,
      ...(s.caBundle ? { httpsAgent: new https.Agent({ keepAlive: true, ca: s.caBundle }) } : {}),
    },
  });
}

/** `https://` is assumed when the endpoint has no scheme, as the registry's S3 driver does. */
export function normalizeEndpoint(endpoint: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
}

/** The S3 error code: the service's code, else one derived from the HTTP status (HEAD answers carry no body). */
export function s3ErrorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('$metadata' in err)) return undefined;
  const name = (err as { name?: string }).name;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name && name !== 'Unknown' && name !== 'UnknownError' && name !== 'Error') return name;
  switch (status) {
    case 301:
      return 'PermanentRedirect';
    case 400:
      return 'BadRequest';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 501:
      return 'NotImplemented';
    default:
      return status ? `HTTP${status}` : undefined;
  }
}

function s3ErrorText(op: string, bucket: string, err: unknown): string {
  const code = s3ErrorCode(err);
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const raw = errorMessage(err);
  const detail = raw && raw !== code && raw !== 'UnknownError' ? `: ${raw}` : '';
  return code
    ? `${op} ${bucket}: ${code}${detail}${status ? ` (HTTP ${status})` : ''}`
    : `${op} ${bucket}: ${raw}`;
}

/** The condition for a failed call: the AWS code as reason, else upstream's `Unknown Error Occurred`. */
function failure(type: string, op: string, bucket: string, err: unknown): DesiredCondition {
  const code = s3ErrorCode(err);
  return {
    type,
    status: code ? 'False' : 'Unknown',
    reason: code ?? 'Unknown Error Occurred',
    message: s3ErrorText(op, bucket, err),
  };
}

export class S3Driver implements StorageDriver<'s3'> {
  readonly backend = 's3' as const;
  readonly displayName = 'S3';
  private readonly opts: S3DriverOptions;
  private readonly clients = new Map<string, S3Api>();

  constructor(opts: S3DriverOptions) {
    this.opts = opts;
  }

  completeConfiguration(spec: S3Storage): Completion<S3Storage> {
    const config: S3Storage = { ...spec };
    const { aws, infrastructureName } = this.opts.cluster;
    if (!config.region && !config.regionEndpoint) {
      if (aws.region) config.region = aws.region;
      const endpoint = aws.serviceEndpoints.find((e) => e.name === 's3')?.url;
      if (endpoint) {
        config.regionEndpoint = endpoint;
        config.virtualHostedStyle = true;
      }
    }
    if (!config.region) config.region = defaultRegion;
    const generatedName = !config.bucket;
    if (generatedName) config.bucket = deterministicStorageName(infrastructureName, config.region);
    return { config, generatedName };
  }

  id(config: S3Storage): string {
    return config.bucket ?? '';
  }

  storageChanged(spec: S3Storage, status: S3Storage | undefined): boolean {
    return !sameConfig(spec, status);
  }

  async storageExists(config: S3Storage): Promise<ExistsResult> {
    const bucket = config.bucket ?? '';
    try {
      await this.client(config).send(new HeadBucketCommand({ Bucket: bucket }));
      return {
        exists: true,
        condition: storageExistsCondition(
          'True',
          'S3 Bucket Exists',
          `S3 bucket ${bucket} exists and is accessible`,
        ),
      };
    } catch (err) {
      const code = s3ErrorCode(err);
      if (code === 'NoSuchBucket' || code === 'NotFound') {
        return { exists: false, condition: failure(T.exists, 'HeadBucket', bucket, err) };
      }
      // Forbidden may hide a bucket of someone else: never read it as "absent".
      throw new StorageError(s3ErrorText('HeadBucket', bucket, err), {
        conditions: [failure(T.exists, 'HeadBucket', bucket, err)],
        cause: err,
      });
    }
  }

  async createStorage(
    config: S3Storage,
    managementState: StorageManagementState,
    exists: boolean,
  ): Promise<CreateResult<S3Storage>> {
    const bucket = config.bucket ?? '';
    const effective: S3Storage = { ...config };
    let created = false;
    let existsCondition: DesiredCondition;
    if (exists) {
      existsCondition =
        managementState === 'Unmanaged'
          ? storageExistsCondition(
              'True',
              'S3 Bucket Exists',
              'User supplied S3 bucket exists and is accessible',
            )
          : storageExistsCondition(
              'True',
              'S3 Bucket Exists',
              `S3 bucket ${bucket} exists and is accessible`,
            );
    } else {
      created = await this.createBucket(config);
      await this.waitForBucket(config);
      existsCondition = created
        ? storageExistsCondition('True', 'Creation Successful', 'S3 bucket was successfully created')
        : storageExistsCondition('True', 'S3 Bucket Exists', `S3 bucket ${bucket} exists and is accessible`);
    }
    const conditions = [existsCondition];
    if (managementState === 'Managed') {
      const client = this.client(config);
      conditions.push(
        await this.step(
          T.publicAccessBlocked,
          'PutPublicAccessBlock',
          bucket,
          config,
          () =>
            client.send(
              new PutPublicAccessBlockCommand({
                Bucket: bucket,
                PublicAccessBlockConfiguration: {
                  BlockPublicAcls: true,
                  BlockPublicPolicy: true,
                  IgnorePublicAcls: true,
                  RestrictPublicBuckets: true,
                },
              }),
            ),
          {
            reason: 'Public Access Block Successful',
            message: 'Public access to the S3 bucket and its contents have been successfully blocked.',
          },
        ),
      );
      conditions.push(
        await this.step(
          T.tagged,
          'PutBucketTagging',
          bucket,
          config,
          () =>
            client.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: this.tags() } })),
          { reason: 'Tagging Successful', message: 'Tags were successfully applied to the S3 bucket' },
        ),
      );
      const algorithm = config.keyID ? 'aws:kms' : 'AES256';
      const encrypted = await this.step(
        T.encrypted,
        'PutBucketEncryption',
        bucket,
        config,
        () =>
          client.send(
            new PutBucketEncryptionCommand({
              Bucket: bucket,
              ServerSideEncryptionConfiguration: {
                Rules: [
                  {
                    ApplyServerSideEncryptionByDefault: config.keyID
                      ? { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: config.keyID }
                      : { SSEAlgorithm: 'AES256' },
                    BucketKeyEnabled: true,
                  },
                ],
              },
            }),
          ),
        {
          reason: 'Encryption Successful',
          message: `Default ${algorithm} encryption was successfully enabled on the S3 bucket`,
        },
      );
      conditions.push(encrypted);
      if (encrypted.status === 'True') effective.encrypt = true;
      conditions.push(
        await this.step(
          T.incompleteUploadCleanup,
          'PutBucketLifecycleConfiguration',
          bucket,
          config,
          () =>
            client.send(
              new PutBucketLifecycleConfigurationCommand({
                Bucket: bucket,
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
              }),
            ),
          {
            reason: 'Enable Cleanup Successful',
            message:
              'Default cleanup of incomplete multipart uploads after one (1) day was successfully enabled',
          },
        ),
      );
    }
    return { config: effective, conditions, created };
  }

  async removeStorage(config: S3Storage): Promise<RemoveResult> {
    const bucket = config.bucket ?? '';
    const client = this.client(config);
    try {
      await this.emptyBucket(client, bucket);
      await this.abortUploads(client, bucket);
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    } catch (err) {
      const code = s3ErrorCode(err);
      if (code === 'NoSuchBucket' || code === 'NotFound') {
        return {
          condition: storageExistsCondition('False', 'S3 Bucket Deleted', 'The S3 bucket did not exist.'),
        };
      }
      throw new StorageError(s3ErrorText('removing bucket', bucket, err), {
        conditions: [failure(T.exists, 'DeleteBucket', bucket, err)],
        cause: err,
      });
    }
    return {
      condition: storageExistsCondition('False', 'S3 Bucket Deleted', 'The S3 bucket has been removed.'),
    };
  }

  privateConfiguration(): Record<string, string> {
    return { credentials: this.opts.credentials.sharedCredentialsFile };
  }

  dispose(): void {
    for (const client of this.clients.values()) client.destroy?.();
    this.clients.clear();
  }

  /** `kubernetes.io/cluster/<infra>=owned`, `Name=<infra>-image-registry`, then the platform's tags. */
  tags(): { Key: string; Value: string }[] {
    const infra = this.opts.cluster.infrastructureName;
    const tags = new Map<string, string>([
      [`kubernetes.io/cluster/${infra}`, 'owned'],
      ['Name', `${infra}-image-registry`],
    ]);
    for (const t of this.opts.cluster.aws.resourceTags) if (!tags.has(t.key)) tags.set(t.key, t.value);
    return [...tags].map(([Key, Value]) => ({ Key, Value }));
  }

  /** Client settings for a config: region, endpoint (spec, else the platform's), path style. */
  clientSettings(config: S3Storage): S3ClientSettings {
    const configured =
      config.regionEndpoint || this.opts.cluster.aws.serviceEndpoints.find((e) => e.name === 's3')?.url;
    const endpoint = configured ? normalizeEndpoint(configured) : undefined;
    return {
      region: config.region || defaultRegion,
      endpoint,
      forcePathStyle: Boolean(config.regionEndpoint) && !config.virtualHostedStyle,
      credentials: this.opts.credentials,
      caBundle: this.opts.caBundle,
    };
  }

  private client(config: S3Storage): S3Api {
    const s = this.clientSettings(config);
    const key = `${s.region}|${s.endpoint ?? ''}|${s.forcePathStyle}`;
    let client = this.clients.get(key);
    if (!client) {
      client = (this.opts.clientFactory ?? defaultS3Client)(s);
      this.clients.set(key, client);
    }
    return client;
  }

  /** True when this call created it; false when it already was ours (BucketAlreadyOwnedByYou). */
  private async createBucket(config: S3Storage): Promise<boolean> {
    const bucket = config.bucket ?? '';
    const region = config.region || defaultRegion;
    try {
      await this.client(config).send(
        new CreateBucketCommand({
          Bucket: bucket,
          // us-east-1 is the one region that must not be named (the SDK no longer adds it for us).
          ...(region !== defaultRegion
            ? { CreateBucketConfiguration: { LocationConstraint: region as never } }
            : {}),
        }),
      );
      return true;
    } catch (err) {
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
          cause: err,
        });
      }
      throw new StorageError(s3ErrorText('CreateBucket', bucket, err), {
        conditions: [failure(T.exists, 'CreateBucket', bucket, err)],
        cause: err,
      });
    }
  }

  private async waitForBucket(config: S3Storage): Promise<void> {
    const bucket = config.bucket ?? '';
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    let last: unknown;
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        await this.client(config).send(new HeadBucketCommand({ Bucket: bucket }));
        return;
      } catch (err) {
        last = err;
        const code = s3ErrorCode(err);
        if (code !== 'NoSuchBucket' && code !== 'NotFound') break;
        await sleep(1000);
      }
    }
    throw new StorageError(s3ErrorText('waiting for bucket', bucket, last), {
      conditions: [failure(T.exists, 'HeadBucket', bucket, last)],
      cause: last,
    });
  }

  /**
   * One managed setting: True with upstream's texts on success; False `NotSupportedByEndpoint` when an
   * S3-compatible endpoint does not implement the call (MinIO: public access block); otherwise False
   * with the AWS code. Never fails the reconcile (upstream does the same).
   */
  private async step(
    type: string,
    op: string,
    bucket: string,
    config: S3Storage,
    call: () => Promise<unknown>,
    ok: { reason: string; message: string },
  ): Promise<DesiredCondition> {
    try {
      await call();
      return { type, status: 'True', ...ok };
    } catch (err) {
      const code = s3ErrorCode(err);
      const endpoint = this.clientSettings(config).endpoint ?? 'the S3 endpoint';
      const unsupported = { type, status: 'False' as const, reason: 'NotSupportedByEndpoint' };
      if (code === 'NotImplemented') {
        return {
          ...unsupported,
          message: `${endpoint} does not implement ${op}; the operator cannot apply this setting to bucket ${bucket}`,
        };
      }
      // The request is one AWS accepts: an S3-compatible endpoint refusing it as malformed lacks the
      // feature (MinIO has no AbortIncompleteMultipartUpload lifecycle action).
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (config.regionEndpoint && status === 400 && code && rejectedAsMalformed.has(code)) {
        return {
          ...unsupported,
          message: `${endpoint} does not support ${op} as AWS S3 does (${code}: ${errorMessage(err)}); the operator cannot apply this setting to bucket ${bucket}`,
        };
      }
      return failure(type, op, bucket, err);
    }
  }

  /** Aborts the multipart uploads an interrupted push left behind (some stores refuse to delete a bucket with them). */
  private async abortUploads(client: S3Api, bucket: string): Promise<void> {
    for (;;) {
      let page: { Uploads?: { Key?: string; UploadId?: string }[] };
      try {
        page = (await client.send(
          new ListMultipartUploadsCommand({ Bucket: bucket, MaxUploads: 1000 }),
        )) as typeof page;
      } catch (err) {
        if (s3ErrorCode(err) === 'NotImplemented') return;
        throw err;
      }
      const uploads = (page.Uploads ?? []).filter((u) => u.Key && u.UploadId);
      if (uploads.length === 0) return;
      for (const u of uploads)
        await client.send(
          new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }),
        );
    }
  }

  /** Deletes every object version and delete marker (or every object where versions are not listed). */
  private async emptyBucket(client: S3Api, bucket: string): Promise<void> {
    let versions = true;
    for (;;) {
      let batch: ObjectIdentifier[];
      if (versions) {
        try {
          const page = (await client.send(
            new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }),
          )) as {
            Versions?: { Key?: string; VersionId?: string }[];
            DeleteMarkers?: { Key?: string; VersionId?: string }[];
          };
          batch = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].flatMap((v) =>
            v.Key
              ? [{ Key: v.Key, ...(v.VersionId && v.VersionId !== 'null' ? { VersionId: v.VersionId } : {}) }]
              : [],
          );
        } catch (err) {
          if (s3ErrorCode(err) !== 'NotImplemented') throw err;
          versions = false;
          continue;
        }
      } else {
        const page = (await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }))) as {
          Contents?: { Key?: string }[];
        };
        batch = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
      }
      if (batch.length === 0) return;
      const out = (await client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }),
      )) as {
        Errors?: { Key?: string; Code?: string; Message?: string }[];
      };
      const failed = out.Errors?.[0];
      if (failed) {
        throw new Error(
          `DeleteObjects ${bucket}: ${out.Errors?.length} objects not deleted, first ${failed.Key}: ${failed.Code} ${failed.Message ?? ''}`.trim(),
        );
      }
    }
  }
}
