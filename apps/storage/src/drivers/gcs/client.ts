import { Storage } from '@google-cloud/storage';
import type { GcsCredentials } from '../../credentials/gcs.ts';
import { proxyFor, type ProxyEnv } from '../proxy.ts';

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
  /** Deletes every object generation, a page at a time, checking `signal` between pages. */
  deleteAllObjects(bucket: string, signal?: AbortSignal): Promise<void>;
  /** False when the bucket did not exist. */
  deleteBucket(bucket: string): Promise<boolean>;
}

/** The HTTP status of a Google API error, if it is one. */
export function httpCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

export interface GcsClientOptions {
  credentials: GcsCredentials;
  projectID: string | undefined;
  /** Cloud Storage JSON API endpoint (default Google's); fake-gcs-server in tests. */
  apiEndpoint: string | undefined;
  proxyEnv: ProxyEnv;
}

export function defaultGcsApi(opts: GcsClientOptions): GcsApi {
  const endpoint = opts.apiEndpoint ?? 'https://storage.googleapis.com';
  const proxy = proxyFor(endpoint, opts.proxyEnv);
  const storage = new Storage({
    ...(opts.apiEndpoint ? { apiEndpoint: opts.apiEndpoint } : {}),
    ...(opts.projectID ? { projectId: opts.projectID } : {}),
    credentials: opts.credentials.parsed,
    // A service-account key names Google's token endpoint; an external account names its own STS, so
    // an emulator endpoint still sees the federated token exchange.
    useAuthWithCustomEndpoint: opts.credentials.type === 'external_account',
    // Bounded: a reconcile must finish; the work queue retries with its own backoff.
    retryOptions: { autoRetry: true, maxRetries: 2, totalTimeout: 30, maxRetryDelay: 4 },
    // The requests go through teeny-request, which takes the proxy per request.
    ...(proxy ? { interceptors_: [{ request: (o: object) => ({ ...o, proxy }) as never }] } : {}),
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
    async deleteAllObjects(bucket, signal) {
      const b = storage.bucket(bucket);
      for (;;) {
        signal?.throwIfAborted();
        const [files] = await b.getFiles({ versions: true, maxResults: 1000, autoPaginate: false });
        if (files.length === 0) return;
        signal?.throwIfAborted();
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
