import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../control-plane/processes.ts';
import { ensureEmulators } from './binaries.ts';
import { startS3Front } from './s3-front.ts';
import {
  baseEnv,
  emulatorRunDir,
  probe,
  spawnEmulator,
  waitUntilReady,
  type EmulatorProcess,
} from './process.ts';

export interface MinioOptions {
  /**
   * Configure MinIO's static-key KMS (default true). Without a KMS, MinIO rejects
   * PutBucketEncryption, AES256 and aws:kms alike (ErrKMSNotConfigured).
   */
  kmsKey?: boolean;
  /**
   * Put a front before MinIO that answers every `?publicAccessBlock` request with `501
   * NotImplemented`, like an S3-compatible store without that feature (default false).
   * MinIO itself means to do so, but its router sends PUT to PutBucket (400 MalformedXML) and
   * DELETE to DeleteBucket: DeletePublicAccessBlock deletes an empty bucket. GET answers 501.
   */
  rejectPublicAccessBlock?: boolean;
  /** The region MinIO claims (default us-east-1); CreateBucket with another LocationConstraint fails. */
  region?: string;
  /** How long to wait for /minio/health/ready (default 60 s). */
  timeoutMs?: number;
}

export interface Minio {
  /**
   * `http://127.0.0.1:<port>`: give it to the S3 client with `forcePathStyle: true`. With
   * `rejectPublicAccessBlock`, the front's address.
   */
  endpoint: string;
  /** MinIO's own address (equal to `endpoint` unless there is a front). */
  minioEndpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The name of the static KMS key (use as KMSMasterKeyID), when `kmsKey` is on. */
  kmsKeyId: string | undefined;
  /** Folder with `minio.log` and the data (`data/`). */
  runDir: string;
  logTail(lines?: number): string;
  /** Stops the server but keeps its data and port, to test what clients do while the endpoint is down. */
  halt(): Promise<void>;
  /** Starts the server again after halt(), on the same port with the same data and keys. */
  resume(): Promise<void>;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

const kmsKeyName = 'image-registry-test-key';

/** Starts MinIO (single drive, loopback, random root credentials) and waits until it serves S3. */
export async function startMinio(opts: MinioOptions = {}): Promise<Minio> {
  const { minio: bin } = await ensureEmulators();
  const region = opts.region ?? 'us-east-1';
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const runDir = emulatorRunDir();
  const dataDir = join(runDir, 'data');
  mkdirSync(dataDir);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const accessKeyId = `iro-${randomBytes(4).toString('hex')}`;
  const secretAccessKey = randomBytes(18).toString('base64url');
  const kmsKeyId = opts.kmsKey === false ? undefined : kmsKeyName;
  const env: Record<string, string> = {
    ...baseEnv(runDir),
    MINIO_ROOT_USER: accessKeyId,
    MINIO_ROOT_PASSWORD: secretAccessKey,
    MINIO_SITE_REGION: region,
    // No web console, no update check against dl.min.io; CI mode allows a drive on the root disk.
    MINIO_BROWSER: 'off',
    MINIO_UPDATE: 'off',
    MINIO_CI_CD: '1',
  };
  // A static KMS key is enough for SSE-S3 and SSE-KMS bucket encryption (internal/kms/config.go).
  if (kmsKeyId) env['MINIO_KMS_SECRET_KEY'] = `${kmsKeyId}:${randomBytes(32).toString('base64')}`;

  const launch = async (): Promise<EmulatorProcess> => {
    const proc = spawnEmulator({
      name: 'minio',
      bin,
      args: ['server', dataDir, '--address', `127.0.0.1:${port}`, '--quiet'],
      env,
      runDir,
    });
    // /minio/health/ready turns 200 before the object layer is up (S3 calls still answer 503
    // XMinioServerNotInitialized): also wait until an anonymous ListBuckets is refused with 403.
    await waitUntilReady(
      proc,
      async () =>
        (await probe(`${endpoint}/minio/health/ready`)) && (await probe(`${endpoint}/`, { statuses: [403] })),
      timeoutMs,
    );
    return proc;
  };
  let proc = await launch();
  const front = opts.rejectPublicAccessBlock
    ? await startS3Front(endpoint, ['publicAccessBlock'])
    : undefined;
  return {
    endpoint: front?.endpoint ?? endpoint,
    minioEndpoint: endpoint,
    region,
    accessKeyId,
    secretAccessKey,
    kmsKeyId,
    runDir,
    logTail: (n) => proc.logTail(n),
    halt: () => proc.terminate(),
    resume: async () => {
      await proc.terminate();
      proc = await launch();
    },
    stop: async () => {
      await front?.close();
      await proc.stop();
    },
  };
}
