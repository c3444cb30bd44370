import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createServingCertificate,
  createTinyImage,
  ensureEmulators,
  ociManifestDigest,
  skopeoCopy,
  startAzurite,
  startFakeGcs,
  startMinio,
  startRegistry,
  writeCaCertDir,
  type Minio,
  type Registry,
} from '../src/emulators/index.ts';

const scratch = mkdtempSync(join(tmpdir(), 'iro-emulators-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Normally done once by the integration globalSetup; a cold build takes minutes.
beforeAll(() => ensureEmulators(), 30 * 60_000);

const blockAll = {
  BlockPublicAcls: true,
  BlockPublicPolicy: true,
  IgnorePublicAcls: true,
  RestrictPublicBuckets: true,
};

function s3For(minio: Minio): S3Client {
  return new S3Client({
    endpoint: minio.endpoint,
    region: minio.region,
    forcePathStyle: true,
    credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
    maxAttempts: 1,
  });
}

describe('MinIO', () => {
  let minio: Minio;
  let s3: S3Client;
  beforeAll(async () => {
    minio = await startMinio();
    s3 = s3For(minio);
  });
  afterAll(async () => {
    s3?.destroy();
    await minio?.stop();
  });

  it('creates a bucket and applies AES256, then aws:kms default encryption with the static key', async () => {
    const Bucket = 'encrypted';
    await s3.send(new CreateBucketCommand({ Bucket }));

    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      }),
    );
    const aes = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
    expect(
      aes.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    ).toBe('AES256');

    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: minio.kmsKeyId },
              BucketKeyEnabled: true,
            },
          ],
        },
      }),
    );
    const kms = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
    expect(
      kms.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault,
    ).toMatchObject({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: minio.kmsKeyId,
    });
  });

  it('stores bucket tags', async () => {
    const Bucket = 'tagged';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket,
        Tagging: { TagSet: [{ Key: 'kubernetes.io/cluster/test', Value: 'owned' }] },
      }),
    );
    const tags = await s3.send(new GetBucketTaggingCommand({ Bucket }));
    expect(tags.TagSet).toEqual([{ Key: 'kubernetes.io/cluster/test', Value: 'owned' }]);
  });

  it('rejects a lifecycle rule whose only action aborts incomplete multipart uploads (400 InvalidArgument)', async () => {
    // MinIO has no AbortIncompleteMultipartUpload action: a rule with nothing else is "malformed".
    const Bucket = 'lifecycle';
    await s3.send(new CreateBucketCommand({ Bucket }));
    const rule = { ID: 'abort-uploads', Status: 'Enabled' as const, Filter: { Prefix: '' } };
    await expect(
      s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket,
          LifecycleConfiguration: {
            Rules: [{ ...rule, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
          },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket,
        LifecycleConfiguration: { Rules: [{ ...rule, Expiration: { Days: 30 } }] },
      }),
    );
    const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(lifecycle.Rules?.[0]?.Expiration?.Days).toBe(30);
  });

  it('answers PutPublicAccessBlock with 400 MalformedXML and GetPublicAccessBlock with 501 NotImplemented', async () => {
    // Its router lists publicAccessBlock as not implemented, but PUT reaches PutBucket first.
    const Bucket = 'public-access';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await expect(
      s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: blockAll })),
    ).rejects.toMatchObject({ name: 'MalformedXML', $metadata: { httpStatusCode: 400 } });
    await expect(s3.send(new GetPublicAccessBlockCommand({ Bucket }))).rejects.toMatchObject({
      name: 'NotImplemented',
      $metadata: { httpStatusCode: 501 },
    });
  });

  it('deletes an empty bucket on DeletePublicAccessBlock, so storage code must never send it to MinIO', async () => {
    const Bucket = 'deleted-by-accident';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    await expect(s3.send(new HeadBucketCommand({ Bucket }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('refuses connections while halted and serves the same buckets after resume', async () => {
    const Bucket = 'survives-restart';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await minio.halt();
    await expect(s3.send(new HeadBucketCommand({ Bucket }))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await minio.resume();
    await expect(s3.send(new HeadBucketCommand({ Bucket }))).resolves.toBeDefined();
  });
});

describe('MinIO behind rejectPublicAccessBlock', () => {
  it('answers every publicAccessBlock call with 501 NotImplemented and passes signed requests through', async () => {
    const minio = await startMinio({ rejectPublicAccessBlock: true });
    const s3 = s3For(minio);
    try {
      expect(minio.endpoint).not.toBe(minio.minioEndpoint);
      const Bucket = 'fronted';
      await s3.send(new CreateBucketCommand({ Bucket }));
      await s3.send(
        new PutBucketEncryptionCommand({
          Bucket,
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
        }),
      );
      await expect(
        s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: blockAll })),
      ).rejects.toMatchObject({ name: 'NotImplemented', $metadata: { httpStatusCode: 501 } });
      await expect(s3.send(new DeletePublicAccessBlockCommand({ Bucket }))).rejects.toMatchObject({
        name: 'NotImplemented',
      });
      await expect(s3.send(new HeadBucketCommand({ Bucket }))).resolves.toBeDefined();
    } finally {
      s3.destroy();
      await minio.stop();
    }
  });
});

describe('MinIO without a KMS key', () => {
  it('answers AES256 PutBucketEncryption with 501 NotImplemented, which is why startMinio configures a key by default', async () => {
    const minio = await startMinio({ kmsKey: false });
    const s3 = s3For(minio);
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'plain' }));
      await expect(
        s3.send(
          new PutBucketEncryptionCommand({
            Bucket: 'plain',
            ServerSideEncryptionConfiguration: {
              Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
            },
          }),
        ),
      ).rejects.toMatchObject({
        name: 'NotImplemented',
        message: expect.stringContaining('KMS is not configured') as string,
        $metadata: { httpStatusCode: 501 },
      });
    } finally {
      s3.destroy();
      await minio.stop();
    }
  });
});

describe('fake-gcs-server', () => {
  it('creates a bucket in its configured location, refuses to delete it while it holds objects, deletes it empty', async () => {
    const gcs = await startFakeGcs({ location: 'EUROPE-WEST1' });
    try {
      const storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: gcs.projectId });
      const [bucket] = await storage.createBucket('image-registry-test-bucket', { location: 'EUROPE-WEST1' });
      const [metadata] = await bucket.getMetadata();
      expect(metadata.location).toBe('EUROPE-WEST1');
      const [listed] = await storage.getBuckets();
      expect(listed.map((b) => b.name)).toContain('image-registry-test-bucket');

      await bucket.file('docker/registry/v2/probe').save('x');
      await expect(bucket.delete()).rejects.toMatchObject({ code: 412 });
      await bucket.file('docker/registry/v2/probe').delete();
      await bucket.delete();
      const [exists] = await storage.bucket('image-registry-test-bucket').exists();
      expect(exists).toBe(false);
    } finally {
      await gcs.stop();
    }
  });
});

describe('Azurite', () => {
  it('creates, lists and deletes a blob container with the account key', async () => {
    const azurite = await startAzurite();
    try {
      const service = new BlobServiceClient(
        azurite.endpoint,
        new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey),
      );
      const container = service.getContainerClient('image-registry');
      await container.create();
      await container.getBlockBlobClient('docker/registry/v2/probe').upload('x', 1);
      expect(await container.exists()).toBe(true);
      const names: string[] = [];
      for await (const item of service.listContainers()) names.push(item.name);
      expect(names).toEqual(['image-registry']);

      await container.delete();
      expect(await container.exists()).toBe(false);
    } finally {
      await azurite.stop();
    }
  });

  it('accepts a connection string for the same account', async () => {
    const azurite = await startAzurite();
    try {
      const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
      await service.getContainerClient('from-connection-string').create();
      expect(await service.getContainerClient('from-connection-string').exists()).toBe(true);
    } finally {
      await azurite.stop();
    }
  });
});

describe('distribution registry with skopeo', () => {
  const serviceName = 'image-registry.openshift-image-registry.svc';
  let certDir: string;
  let caDir: string;
  let tlsEnv: Record<string, string>;

  beforeAll(async () => {
    const tls = await createServingCertificate({ dnsNames: [serviceName, `${serviceName}.cluster.local`] });
    certDir = join(scratch, 'tls');
    caDir = writeCaCertDir(join(scratch, 'ca'), tls.caCert);
    writeCaCertDir(certDir, tls.caCert);
    writeFileSync(join(certDir, 'tls.crt'), tls.cert);
    writeFileSync(join(certDir, 'tls.key'), tls.key);
    tlsEnv = {
      REGISTRY_HTTP_TLS_CERTIFICATE: join(certDir, 'tls.crt'),
      REGISTRY_HTTP_TLS_KEY: join(certDir, 'tls.key'),
      REGISTRY_HTTP_SECRET: 'a-shared-secret-for-every-replica',
    };
  });

  async function pushAndPull(
    registry: Registry,
    host: string,
    repo: string,
    resolve?: Record<string, string>,
  ) {
    const image = createTinyImage(join(scratch, `${repo.replaceAll('/', '-')}-src`));
    await skopeoCopy(image.ref, `docker://${host}/${repo}:v1`, { caCertDir: caDir, resolve });
    const pulled = join(scratch, `${repo.replaceAll('/', '-')}-pulled`);
    await skopeoCopy(`docker://${host}/${repo}:v1`, `oci:${pulled}:v1`, { caCertDir: caDir, resolve });
    expect(registry.tls).toBe(true);
    return { image, pulledDigest: ociManifestDigest(pulled, 'v1') };
  }

  it('pushes and pulls over TLS verified against the CA, with filesystem storage', async () => {
    const root = join(scratch, 'filesystem-root');
    const registry = await startRegistry({
      env: { ...tlsEnv, REGISTRY_STORAGE: 'filesystem', REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: root },
    });
    try {
      const { image, pulledDigest } = await pushAndPull(registry, registry.address, 'tests/tiny');
      expect(pulledDigest).toBe(image.manifestDigest);
      const layer = join(
        root,
        'docker/registry/v2/blobs/sha256',
        image.layerDigest.slice(7, 9),
        image.layerDigest.slice(7),
        'data',
      );
      expect(existsSync(layer)).toBe(true);
    } finally {
      await registry.stop();
    }
  });

  it('verifies the certificate against the Service DNS name when that name is resolved to the registry', async () => {
    const registry = await startRegistry({
      env: { ...tlsEnv, REGISTRY_STORAGE: 'inmemory' },
    });
    try {
      const host = `${serviceName}:5000`;
      const { image, pulledDigest } = await pushAndPull(registry, host, 'tests/by-name', {
        [host]: registry.address,
      });
      expect(pulledDigest).toBe(image.manifestDigest);
      // A name the certificate does not carry fails verification, so the check above was real.
      const other = createTinyImage(join(scratch, 'wrong-name'));
      await expect(
        skopeoCopy(other.ref, 'docker://registry.example.test:5000/tests/x:v1', {
          caCertDir: caDir,
          resolve: { 'registry.example.test:5000': registry.address },
        }),
      ).rejects.toThrow(/certificate is valid for .*, not registry\.example\.test/);
    } finally {
      await registry.stop();
    }
  });

  it('refuses a push when the client does not trust the CA', async () => {
    const registry = await startRegistry({ env: { ...tlsEnv, REGISTRY_STORAGE: 'inmemory' } });
    try {
      const image = createTinyImage(join(scratch, 'untrusted'));
      await expect(skopeoCopy(image.ref, `docker://${registry.address}/tests/untrusted:v1`)).rejects.toThrow(
        /x509: certificate signed by unknown authority/,
      );
    } finally {
      await registry.stop();
    }
  });

  it('fails to start with the registry’s own message when the certificate path is wrong', async () => {
    await expect(
      startRegistry({ env: { ...tlsEnv, REGISTRY_HTTP_TLS_CERTIFICATE: join(certDir, 'missing.crt') } }),
    ).rejects.toThrow(/registry exited .*missing\.crt/s);
  });

  it('pushes and pulls with S3 storage in MinIO (regionendpoint, path style, pre-created bucket)', async () => {
    const minio = await startMinio();
    const s3 = s3For(minio);
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'registry-bucket' }));
      const registry = await startRegistry({
        env: {
          ...tlsEnv,
          REGISTRY_STORAGE: 's3',
          REGISTRY_STORAGE_S3_REGION: minio.region,
          REGISTRY_STORAGE_S3_REGIONENDPOINT: minio.endpoint,
          REGISTRY_STORAGE_S3_FORCEPATHSTYLE: 'true',
          REGISTRY_STORAGE_S3_BUCKET: 'registry-bucket',
          REGISTRY_STORAGE_S3_ACCESSKEY: minio.accessKeyId,
          REGISTRY_STORAGE_S3_SECRETKEY: minio.secretAccessKey,
          REGISTRY_STORAGE_S3_ROOTDIRECTORY: '/registry',
          REGISTRY_STORAGE_REDIRECT_DISABLE: 'true',
        },
      });
      try {
        const { image, pulledDigest } = await pushAndPull(registry, registry.address, 'tests/on-s3');
        expect(pulledDigest).toBe(image.manifestDigest);
        const listed = await s3.send(
          new ListObjectsV2Command({
            Bucket: 'registry-bucket',
            Prefix: 'registry/docker/registry/v2/blobs/',
          }),
        );
        const keys = (listed.Contents ?? []).map((o) => o.Key);
        expect(keys).toContain(
          `registry/docker/registry/v2/blobs/sha256/${image.layerDigest.slice(7, 9)}/${image.layerDigest.slice(7)}/data`,
        );
      } finally {
        await registry.stop();
      }
    } finally {
      s3.destroy();
      await minio.stop();
    }
  });

  it('stops the registry and removes its run folder', async () => {
    const registry = await startRegistry({ env: { REGISTRY_STORAGE: 'inmemory' } });
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
    await registry.stop();
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
    expect(existsSync(registry.runDir)).toBe(false);
  });
});
