// The storage emulators of the e2e system: MinIO (S3), fake-gcs-server (GCS) and Azurite (Azure Blob) on
// loopback, started once beside the control plane; the storage app is pointed at the last two by flag, at
// MinIO by the Config or the Infrastructure's S3 service endpoint, as on a cluster.
import {
  startAzurite,
  startFakeGcs,
  startMinio,
  type Azurite,
  type FakeGcs,
  type Minio,
} from '@image-registry/testing';

/** What the tests need to reach the emulators (plain data: it crosses into the test workers). */
export interface EmulatorEndpoints {
  minio: {
    endpoint: string;
    region: string;
    accessKeyId: string;
    secretAccessKey: string;
    kmsKeyId: string;
  };
  gcs: { endpoint: string; projectId: string };
  azurite: { endpoint: string; accountName: string; accountKey: string; connectionString: string };
}

export interface StorageEmulators {
  endpoints: EmulatorEndpoints;
  /** The storage app's flags for the emulators that have no per-Config endpoint. */
  storageArgs: string[];
  stop(): Promise<void>;
}

/** Starts the three emulators at once; none is left running when one fails to start. */
export async function startStorageEmulators(): Promise<StorageEmulators> {
  // MinIO answers PutPublicAccessBlock with 400 MalformedXML and routes DeletePublicAccessBlock to
  // DeleteBucket; the front answers 501 for them, as an S3-compatible store without the feature does.
  const started = await Promise.allSettled([
    startMinio({ kmsKey: true, rejectPublicAccessBlock: true }),
    startFakeGcs(),
    startAzurite(),
  ]);
  const stop = () =>
    Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined))).then(
      () => undefined,
    );
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const [minio, gcs, azurite] = started.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [
    Minio,
    FakeGcs,
    Azurite,
  ];
  if (!minio.kmsKeyId) throw new Error('MinIO started without its static KMS key');
  return {
    endpoints: {
      minio: {
        endpoint: minio.endpoint,
        region: minio.region,
        accessKeyId: minio.accessKeyId,
        secretAccessKey: minio.secretAccessKey,
        kmsKeyId: minio.kmsKeyId,
      },
      gcs: { endpoint: gcs.endpoint, projectId: gcs.projectId },
      azurite: {
        endpoint: azurite.endpoint,
        accountName: azurite.accountName,
        accountKey: azurite.accountKey,
        connectionString: azurite.connectionString,
      },
    },
    storageArgs: [
      `--gcs-endpoint=${gcs.endpoint}`,
      `--azure-blob-endpoint=${azurite.endpoint.replace(azurite.accountName, '{account}')}`,
    ],
    stop,
  };
}
