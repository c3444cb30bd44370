import { DeleteBucketCommand, GetBucketLocationCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import type { DesiredCondition } from '@image-registry/conditions';
import type { ClusterFacts } from '../../cluster.ts';
import type { S3Credentials } from '../../credentials/s3.ts';
import { deterministicStorageName } from '../../names.ts';
import type { S3Storage } from '../../storage-types.ts';
import {
  StorageConditionTypes as T,
  StorageError,
  storageExistsCondition,
  type Completion,
  type CreateResult,
  type ExistsResult,
  type RemoveResult,
  type StorageDriver,
  type StorageManagementState,
} from '../driver.ts';
import { scrubbedError, scrubbing, secretValues } from '../scrub.ts';
import {
  defaultRegion,
  defaultS3Client,
  s3ClientSettings,
  type S3Api,
  type S3ClientSettings,
} from './client.ts';
import { abortUploads, emptyBucket } from './emptying.ts';
import { isNoSuchBucket, s3ErrorCode, s3ErrorText, s3Failure } from './errors.ts';
import { bucketError, createBucket, waitForBucket } from './bucket.ts';
import { applyS3Settings } from './settings.ts';

export interface S3DriverOptions {
  cluster: ClusterFacts;
  credentials: S3Credentials;
  caBundle?: string | undefined;
  /** Proxy variables for the SDK's agents (default none: direct). */
  proxyEnv?: S3ClientSettings['proxyEnv'];
  stsEndpoint?: string | undefined;
  /** The reconcile's signal: every request takes it, loops check it between pages. */
  signal?: AbortSignal | undefined;
  /** Builds the client (default: a real S3Client). */
  clientFactory?: (settings: S3ClientSettings) => S3Api;
  /** Waits between the post-create existence checks (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
}

const exists = (bucket: string) =>
  storageExistsCondition('True', 'S3 Bucket Exists', `S3 bucket ${bucket} exists and is accessible`);

export class S3Driver implements StorageDriver<'s3'> {
  readonly backend = 's3' as const;
  readonly displayName = 'S3';
  private readonly opts: S3DriverOptions;
  private readonly clients = new Map<string, S3Api>();
  private readonly secrets: string[];

  constructor(opts: S3DriverOptions) {
    this.opts = opts;
    const c = opts.credentials;
    this.secrets = secretValues(
      c.sharedCredentialsFile,
      ...(c.kind === 'static' ? [c.accessKeyId, c.secretAccessKey, c.sessionToken] : []),
    );
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

  async storageExists(config: S3Storage): Promise<ExistsResult> {
    const bucket = config.bucket ?? '';
    try {
      await this.send(config, new HeadBucketCommand({ Bucket: bucket }));
      return { exists: true, condition: exists(bucket) };
    } catch (err) {
      this.opts.signal?.throwIfAborted();
      if (isNoSuchBucket(err))
        return { exists: false, condition: s3Failure(T.exists, 'HeadBucket', bucket, err) };
      // Forbidden may hide a bucket of someone else: never read it as "absent". A HEAD answer has no
      // body, so ask once more with a GET to learn why (InvalidAccessKeyId, SignatureDoesNotMatch, …).
      const why = s3ErrorCode(err) === 'Forbidden' ? await this.explain(config, err) : err;
      throw bucketError('HeadBucket', bucket, why, this.secrets);
    }
  }

  async createStorage(
    config: S3Storage,
    managementState: StorageManagementState,
    existed: boolean,
  ): Promise<CreateResult<S3Storage>> {
    const bucket = config.bucket ?? '';
    let created = false;
    let existsCondition: DesiredCondition;
    if (existed) {
      existsCondition =
        managementState === 'Unmanaged'
          ? storageExistsCondition(
              'True',
              'S3 Bucket Exists',
              'User supplied S3 bucket exists and is accessible',
            )
          : exists(bucket);
    } else {
      const bucketOpts = { signal: this.opts.signal, secrets: this.secrets, sleep: this.opts.sleep };
      created = await createBucket(this.client(config), config, bucketOpts);
      await waitForBucket(this.client(config), config, bucketOpts);
      existsCondition = created
        ? storageExistsCondition('True', 'Creation Successful', 'S3 bucket was successfully created')
        : exists(bucket);
    }
    const effective: S3Storage = { ...config };
    const conditions = [existsCondition];
    if (managementState === 'Managed') {
      const settings = await applyS3Settings(this.client(config), {
        bucket,
        config,
        tags: this.tags(),
        endpoint: this.settings(config).endpoint ?? 'the S3 endpoint',
        signal: this.opts.signal,
      });
      conditions.push(...settings);
      if (settings.some((c) => c.type === T.encrypted && c.status === 'True')) effective.encrypt = true;
    }
    return { config: effective, conditions, created };
  }

  async removeStorage(config: S3Storage): Promise<RemoveResult> {
    const bucket = config.bucket ?? '';
    const client = this.client(config);
    const { signal } = this.opts;
    try {
      await emptyBucket(client, bucket, signal);
      await abortUploads(client, bucket, signal);
      signal?.throwIfAborted();
      await client.send(new DeleteBucketCommand({ Bucket: bucket }), { abortSignal: signal });
    } catch (err) {
      signal?.throwIfAborted();
      if (isNoSuchBucket(err))
        return {
          condition: storageExistsCondition('False', 'S3 Bucket Deleted', 'The S3 bucket did not exist.'),
        };
      throw new StorageError(s3ErrorText('removing bucket', bucket, err), {
        conditions: [s3Failure(T.exists, 'DeleteBucket', bucket, err)],
        cause: scrubbedError(err, this.secrets),
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
  settings(config: S3Storage): S3ClientSettings {
    return s3ClientSettings(config, this.opts.cluster, {
      credentials: this.opts.credentials,
      caBundle: this.opts.caBundle,
      proxyEnv: this.opts.proxyEnv ?? {},
      stsEndpoint: this.opts.stsEndpoint,
    });
  }

  private client(config: S3Storage): S3Api {
    const s = this.settings(config);
    const key = `${s.region}|${s.endpoint ?? ''}|${s.forcePathStyle}`;
    let client = this.clients.get(key);
    if (!client) {
      client = scrubbing((this.opts.clientFactory ?? defaultS3Client)(s), this.secrets);
      this.clients.set(key, client);
    }
    return client;
  }

  private send(config: S3Storage, command: object): Promise<unknown> {
    return this.client(config).send(command, { abortSignal: this.opts.signal });
  }

  /** The GET's error, which carries S3's code, when it is more precise than the HEAD's bare 403. */
  private async explain(config: S3Storage, headError: unknown): Promise<unknown> {
    try {
      await this.send(config, new GetBucketLocationCommand({ Bucket: config.bucket }));
      return headError;
    } catch (err) {
      this.opts.signal?.throwIfAborted();
      const code = s3ErrorCode(err);
      return code && code !== 'Forbidden' && code !== 'NotImplemented' ? err : headError;
    }
  }
}
