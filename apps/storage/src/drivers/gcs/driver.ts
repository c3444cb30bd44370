import type { DesiredCondition } from '@image-registry/conditions';
import type { ClusterFacts } from '../../cluster.ts';
import { gcsPrivateConfiguration, type GcsCredentials } from '../../credentials/gcs.ts';
import { mathRandomInt, randomStorageName, type RandomInt } from '../../names.ts';
import type { GcsStorage } from '../../storage-types.ts';
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
} from '../driver.ts';
import type { ProxyEnv } from '../proxy.ts';
import { scrubbedError, scrubbing, secretValues } from '../scrub.ts';
import { defaultGcsApi, httpCode, type GcsApi } from './client.ts';

export interface GcsDriverOptions {
  cluster: ClusterFacts;
  credentials: GcsCredentials;
  /** Cloud Storage JSON API endpoint (default Google's); fake-gcs-server in tests. */
  apiEndpoint?: string | undefined;
  proxyEnv?: ProxyEnv;
  /** The reconcile's signal, checked before every call and between pages. */
  signal?: AbortSignal | undefined;
  api?: GcsApi;
  random?: RandomInt;
}

const deleted = (message: string) => ({
  condition: storageExistsCondition('False', 'GCS Bucket Deleted', message),
});

export class GcsDriver implements StorageDriver<'gcs'> {
  readonly backend = 'gcs' as const;
  readonly displayName = 'GCS';
  private readonly opts: GcsDriverOptions;
  private api: GcsApi | undefined;
  private readonly secrets: string[];

  constructor(opts: GcsDriverOptions) {
    this.opts = opts;
    const key = opts.credentials.parsed['private_key'];
    this.secrets = secretValues(opts.credentials.json, typeof key === 'string' ? key : undefined);
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
    if (generatedName)
      config.bucket = randomStorageName(
        infrastructureName,
        config.region ? [config.region] : [],
        this.opts.random ?? mathRandomInt,
      );
    return { config, generatedName };
  }

  id(config: GcsStorage): string {
    return config.bucket ?? '';
  }

  async storageExists(config: GcsStorage): Promise<ExistsResult> {
    const bucket = config.bucket ?? '';
    try {
      if (await this.client(config).bucketExists(bucket))
        return {
          exists: true,
          condition: storageExistsCondition(
            'True',
            'GCS Bucket Exists',
            `GCS bucket ${bucket} exists and is accessible`,
          ),
        };
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
    try {
      if (!exists) {
        await api.createBucket(bucket, { location: config.region, labels, kmsKeyName });
        created = true;
      } else if (managementState === 'Managed') {
        await api.updateBucket(bucket, { labels, kmsKeyName });
      }
    } catch (err) {
      // 409: a bucket of that name appeared meanwhile (ours after a restart, or taken): check again next time.
      throw this.error(exists ? 'updating bucket' : 'creating bucket', bucket, err, 'False');
    }
    const conditions: DesiredCondition[] = [this.existsCondition(bucket, created, managementState)];
    if (managementState === 'Managed') {
      conditions.push({
        type: T.labeled,
        status: 'True',
        reason: 'Bucket Labeled Successfully',
        message: `Successfully added user-defined labels to ${bucket} storage bucket`,
      });
      if (kmsKeyName)
        conditions.push({
          type: T.encrypted,
          status: 'True',
          reason: 'Encryption Successful',
          message: 'KMS encryption was successfully enabled on the GCS bucket',
        });
    }
    return { config: { ...config }, conditions, created };
  }

  async removeStorage(config: GcsStorage): Promise<RemoveResult> {
    const bucket = config.bucket ?? '';
    const api = this.client(config);
    try {
      // Unlike upstream, whose object loop never advances, a non-empty bucket is emptied first.
      await api.deleteAllObjects(bucket, this.opts.signal);
      this.opts.signal?.throwIfAborted();
      if (!(await api.deleteBucket(bucket))) return deleted('The GCS bucket did not exist.');
    } catch (err) {
      if (httpCode(err) === 404) return deleted('The GCS bucket did not exist.');
      throw this.error('removing bucket', bucket, err, 'Unknown');
    }
    return deleted('The GCS bucket has been removed.');
  }

  privateConfiguration(): Record<string, string> {
    return gcsPrivateConfiguration(this.opts.credentials);
  }

  /** `kubernetes-io-cluster-<infra>: owned` plus the platform's resource labels. */
  labels(): Record<string, string> {
    const labels: Record<string, string> = {
      [`kubernetes-io-cluster-${this.opts.cluster.infrastructureName}`]: 'owned',
    };
    for (const l of this.opts.cluster.gcp.resourceLabels) labels[l.key] ??= l.value;
    return labels;
  }

  private existsCondition(
    bucket: string,
    created: boolean,
    managementState: StorageManagementState,
  ): DesiredCondition {
    if (created)
      return storageExistsCondition('True', 'Creation Successful', 'GCS bucket was successfully created');
    return managementState === 'Unmanaged'
      ? storageExistsCondition(
          'True',
          'GCS Bucket Exists',
          'User supplied GCS bucket exists and is accessible',
        )
      : storageExistsCondition('True', 'GCS Bucket Exists', `GCS bucket ${bucket} exists and is accessible`);
  }

  private client(config: GcsStorage): GcsApi {
    this.opts.signal?.throwIfAborted();
    this.api ??= scrubbing(
      this.opts.api ??
        defaultGcsApi({
          credentials: this.opts.credentials,
          projectID: config.projectID,
          apiEndpoint: this.opts.apiEndpoint,
          proxyEnv: this.opts.proxyEnv ?? {},
        }),
      this.secrets,
    );
    return this.api;
  }

  /** Google API errors carry their HTTP code as reason (upstream); anything else is Unknown. */
  private error(op: string, bucket: string, err: unknown, status: 'False' | 'Unknown'): StorageError {
    this.opts.signal?.throwIfAborted();
    const code = httpCode(err);
    const safe = scrubbedError(err, this.secrets);
    const message = `${op} ${bucket}: ${errorMessage(safe)}`;
    const condition = code
      ? storageExistsCondition(status, String(code), message)
      : storageExistsCondition('Unknown', 'Unknown Error Occurred', message);
    return new StorageError(message, { conditions: [condition], cause: safe });
  }
}
