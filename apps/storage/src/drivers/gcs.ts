import { Storage } from '@google-cloud/storage';
import type { DesiredCondition } from '@image-registry/conditions';
import type { ClusterFacts } from '../cluster.ts';
import type { GcsCredentials } from '../credentials.ts';
import { GcsKeys } from '../credentials.ts';
import { mathRandomInt, randomStorageName, type RandomInt } from '../names.ts';
import { sameConfig } from '../same-config.ts';
import type { GcsStorage } from '../storage-types.ts';
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

/** What the driver needs from Cloud Storage; the default implementation wraps @google-cloud/storage. */
export interface GcsApi {
  bucketExists(bucket: string): Promise<boolean>;
  createBucket(
    bucket: string,
    opts: { location: string | undefined; labels: Record<string, string>; kmsKeyName: string | undefined },
  ): Promise<void>;
  /** Merges labels and sets the default KMS key (when given) on an existing bucket. */
  updateBucket(
    bucket: string,
    opts: { labels: Record<string, string>; kmsKeyName: string | undefined },
  ): Promise<void>;
  /** Deletes every object generation; resolves when the bucket is empty. */
  deleteAllObjects(bucket: string): Promise<void>;
  /** False when the bucket did not exist. */
  deleteBucket(bucket: string): Promise<boolean>;
}

export interface GcsDriverOptions {
  cluster: ClusterFacts;
  credentials: GcsCredentials;
  /** Cloud Storage JSON API endpoint (default Google's); fake-gcs-server in tests. */
  apiEndpoint?: string | undefined;
  api?: GcsApi;
  random?: RandomInt;
}

/** The HTTP status of a Google API error, if it is one. */
function httpCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

export function defaultGcsApi(opts: {
  credentials: GcsCredentials;
  projectID: string | undefined;
  apiEndpoint: string | undefined;
}): GcsApi {
  const storage = new Storage({
    ...(opts.apiEndpoint ? { apiEndpoint: opts.apiEndpoint } : {}),
    ...(opts.projectID ? { projectId: opts.projectID } : {}),
    credentials: JSON.parse(opts.credentials.keyfile) as Record<string, string>,
    // Bounded: a reconcile must finish; the work queue retries with its own backoff.
    retryOptions: { autoRetry: true, maxRetries: 2, totalTimeout: 30, maxRetryDelay: 4 },
  });
  return {
    async bucketExists(bucket) {
      const [exists] = await storage.bucket(bucket).exists();
      return exists;
    },
    async createBucket(bucket, o) {
      await storage.createBucket(bucket, {
        ...(o.location ? { location: o.location } : {}),
        labels: o.labels,
        ...(o.kmsKeyName ? { encryption: { defaultKmsKeyName: o.kmsKeyName } } : {}),
      });
    },
    async updateBucket(bucket, o) {
      await storage.bucket(bucket).setMetadata({
        labels: o.labels,
        ...(o.kmsKeyName ? { encryption: { defaultKmsKeyName: o.kmsKeyName } } : {}),
      });
    },
    async deleteAllObjects(bucket) {
      const b = storage.bucket(bucket);
      for (;;) {
        const [files] = await b.getFiles({ versions: true, maxResults: 1000, autoPaginate: false });
        if (files.length === 0) return;
        await Promise.all(files.map((f) => f.delete({ ignoreNotFound: true })));
      }
    },
    async deleteBucket(bucket) {
      try {
        await storage.bucket(bucket).delete();
        return true;
      } catch (err) {
        if (httpCode(err) === 404) return false;
        throw err;
      }
    },
  };
}

export class GcsDriver implements StorageDriver<'gcs'> {
  readonly backend = 'gcs' as const;
  readonly displayName = 'GCS';
  private readonly opts: GcsDriverOptions;
  private api: GcsApi | undefined;

  constructor(opts: GcsDriverOptions) {
    this.opts = opts;
    this.api = opts.api;
  }

  completeConfiguration(spec: GcsStorage): Completion<GcsStorage> {
    const config: GcsStorage = { ...spec };
    const { gcp, infrastructureName } = this.opts.cluster;
    // Upstream takes region and project together from the platform.
    if (!config.region && gcp.region) {
      config.region = gcp.region;
      if (!config.projectID && gcp.projectID) config.projectID = gcp.projectID;
    }
    if (!config.projectID && this.opts.credentials.projectID)
      config.projectID = this.opts.credentials.projectID;
    const generatedName = !config.bucket;
    if (generatedName) {
      config.bucket = randomStorageName(
        infrastructureName,
        config.region ? [config.region] : [],
        this.opts.random ?? mathRandomInt,
      );
    }
    return { config, generatedName };
  }

  id(config: GcsStorage): string {
    return config.bucket ?? '';
  }

  storageChanged(spec: GcsStorage, status: GcsStorage | undefined): boolean {
    return !sameConfig(spec, status);
  }

  async storageExists(config: GcsStorage): Promise<ExistsResult> {
    const bucket = config.bucket ?? '';
    try {
      if (await this.client(config).bucketExists(bucket)) {
        return {
          exists: true,
          condition: storageExistsCondition(
            'True',
            'GCS Bucket Exists',
            `GCS bucket ${bucket} exists and is accessible`,
          ),
        };
      }
      return {
        exists: false,
        condition: storageExistsCondition(
          'False',
          'Bucket does not exist',
          `GCS bucket ${bucket} does not exist`,
        ),
      };
    } catch (err) {
      throw this.error('checking bucket', bucket, err, 'Unknown');
    }
  }

  async createStorage(
    config: GcsStorage,
    managementState: StorageManagementState,
    exists: boolean,
  ): Promise<CreateResult<GcsStorage>> {
    const bucket = config.bucket ?? '';
    const api = this.client(config);
    const labels = this.labels();
    const kmsKeyName = config.keyID || undefined;
    let created = false;
    if (!exists) {
      try {
        await api.createBucket(bucket, { location: config.region, labels, kmsKeyName });
        created = true;
      } catch (err) {
        // 409: a bucket of that name appeared meanwhile (ours after a restart, or taken): check again next time.
        throw this.error('creating bucket', bucket, err, 'False');
      }
    } else if (managementState === 'Managed') {
      try {
        await api.updateBucket(bucket, { labels, kmsKeyName });
      } catch (err) {
        throw this.error('updating bucket', bucket, err, 'False');
      }
    }
    const conditions: DesiredCondition[] = [
      created
        ? storageExistsCondition('True', 'Creation Successful', 'GCS bucket was successfully created')
        : managementState === 'Unmanaged'
          ? storageExistsCondition(
              'True',
              'GCS Bucket Exists',
              'User supplied GCS bucket exists and is accessible',
            )
          : storageExistsCondition(
              'True',
              'GCS Bucket Exists',
              `GCS bucket ${bucket} exists and is accessible`,
            ),
    ];
    if (managementState === 'Managed') {
      conditions.push({
        type: T.labeled,
        status: 'True',
        reason: 'Bucket Labeled Successfully',
        message: `Successfully added user-defined labels to ${bucket} storage bucket`,
      });
      if (kmsKeyName) {
        conditions.push({
          type: T.encrypted,
          status: 'True',
          reason: 'Encryption Successful',
          message: 'KMS encryption was successfully enabled on the GCS bucket',
        });
      }
    }
    return { config: { ...config }, conditions, created };
  }

  async removeStorage(config: GcsStorage): Promise<RemoveResult> {
    const bucket = config.bucket ?? '';
    const api = this.client(config);
    try {
      // Unlike upstream, whose object loop never advances, a non-empty bucket is emptied first.
      await api.deleteAllObjects(bucket);
      if (!(await api.deleteBucket(bucket))) {
        return {
          condition: storageExistsCondition('False', 'GCS Bucket Deleted', 'The GCS bucket did not exist.'),
        };
      }
    } catch (err) {
      if (httpCode(err) === 404)
        return {
          condition: storageExistsCondition('False', 'GCS Bucket Deleted', 'The GCS bucket did not exist.'),
        };
      throw this.error('removing bucket', bucket, err, 'Unknown');
    }
    return {
      condition: storageExistsCondition('False', 'GCS Bucket Deleted', 'The GCS bucket has been removed.'),
    };
  }

  privateConfiguration(): Record<string, string> {
    return { [GcsKeys.keyfile]: this.opts.credentials.keyfile };
  }

  /** `kubernetes-io-cluster-<infra>: owned` plus the platform's resource labels. */
  labels(): Record<string, string> {
    const labels: Record<string, string> = {
      [`kubernetes-io-cluster-${this.opts.cluster.infrastructureName}`]: 'owned',
    };
    for (const l of this.opts.cluster.gcp.resourceLabels) labels[l.key] ??= l.value;
    return labels;
  }

  private client(config: GcsStorage): GcsApi {
    this.api ??= defaultGcsApi({
      credentials: this.opts.credentials,
      projectID: config.projectID,
      apiEndpoint: this.opts.apiEndpoint,
    });
    return this.api;
  }

  /** Google API errors carry their HTTP code as reason (upstream); anything else is Unknown. */
  private error(op: string, bucket: string, err: unknown, status: 'False' | 'Unknown'): StorageError {
    const code = httpCode(err);
    const message = `${op} ${bucket}: ${errorMessage(err)}`;
    const condition = code
      ? storageExistsCondition(status, String(code), message)
      : storageExistsCondition('Unknown', 'Unknown Error Occurred', message);
    return new StorageError(message, { conditions: [condition], cause: err });
  }
}
