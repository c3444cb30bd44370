import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { distributionCommand } from '../src/render/deployment.ts';
import { privateConfigurationSecretName, storageFieldManager } from '../src/render/names.ts';
import {
  applyYaml,
  createTinyImage,
  ociManifestDigest,
  skopeoCopy,
  startMinio,
  startRegistry,
  testKubeConfig,
  writeCaCertDir,
  type Minio,
  type Registry,
} from '@image-registry/testing';
import { materialize, type DeploymentSpec } from './materialize.ts';
import { createConfig, fakeStorage, get, getDeployment, useWorkloadFixture, waitAvailable, type Json } from './support.ts';

const f = useWorkloadFixture({ beforeEach, afterEach }, testKubeConfig());
let work: string;
let registry: Registry | undefined;
let minio: Minio | undefined;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'rw-registry-'));
});

afterEach(async () => {
  await registry?.stop();
  registry = undefined;
  await minio?.stop();
  minio = undefined;
  rmSync(work, { recursive: true, force: true });
});

/**
 * Runs the real CNCF registry exactly as the rendered Deployment would, then pushes and pulls an
 * image over TLS that skopeo verifies against the CA in ConfigMap serviceca, under the Service name.
 */
async function pushAndPullThroughRenderedRegistry(): Promise<void> {
  await waitAvailable(f.kc);
  const deployment = (await getDeployment(f.kc, f.ns)) as unknown as DeploymentSpec | undefined;
  if (!deployment) throw new Error('no Deployment image-registry');
  const pod = await materialize(f.kc, f.ns, deployment, join(work, 'root'));
  // The test runs the binary the container runs; its config file is the image's own default.
  expect(pod.command).toEqual(distributionCommand);
  registry = await startRegistry({ env: pod.env });
  expect(registry.tls).toBe(true);

  const serviceca = await get<{ data: Record<string, string> }>(f.kc, `/api/v1/namespaces/${f.ns}/configmaps/serviceca`);
  const caDir = writeCaCertDir(join(work, 'ca'), serviceca?.data['service-ca.crt'] ?? '');
  const host = `image-registry.${f.ns}.svc:5000`;
  const resolve = { [host]: registry.address };
  const image = createTinyImage(join(work, 'image'));

  // Without the serviceca CA the registry's certificate must not verify: the check below is real.
  await expect(skopeoCopy(image.ref, `docker://${host}/test/tiny:v1`, { resolve })).rejects.toThrow(/certificate/);

  await skopeoCopy(image.ref, `docker://${host}/test/tiny:v1`, { caCertDir: caDir, resolve });
  const pulled = join(work, 'pulled');
  await skopeoCopy(`docker://${host}/test/tiny:v1`, `oci:${pulled}:v1`, { caCertDir: caDir, resolve });
  expect(ociManifestDigest(pulled, 'v1')).toBe(image.manifestDigest);
}

describe('the real registry binary with the rendered Deployment', () => {
  it('serves pushes and pulls over TLS from filesystem storage (emptyDir)', { timeout: 180_000 }, async () => {
    await f.managed();
    await pushAndPullThroughRenderedRegistry();
    // The blobs are in the emptyDir the Deployment mounts at /registry, not in the image's default root.
    expect(existsSync(join(work, 'root/registry/docker/registry/v2/repositories/test/tiny'))).toBe(true);
  });

  it('serves pushes and pulls over TLS from S3 storage (MinIO), with the credentials file of the private configuration secret', { timeout: 240_000 }, async () => {
    minio = await startMinio();
    const bucket = `rw-${f.ns}`;
    const s3 = new S3Client({
      endpoint: minio.endpoint,
      region: minio.region,
      forcePathStyle: true,
      credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));

    // What the storage app writes: the bucket in status.storage, the credentials in the private secret.
    await createConfig(f.kc, { managementState: 'Managed', replicas: 1, storage: { s3: { bucket } } });
    const storage: Json = {
      s3: { bucket, region: minio.region, regionEndpoint: minio.endpoint, virtualHostedStyle: false, encrypt: false },
      managementState: 'Unmanaged',
    };
    await applyYaml(
      f.kc,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: privateConfigurationSecretName, namespace: f.ns },
        type: 'Opaque',
        stringData: { credentials: `[default]\naws_access_key_id = ${minio.accessKeyId}\naws_secret_access_key = ${minio.secretAccessKey}\n` },
      },
      { fieldManager: storageFieldManager },
    );
    await fakeStorage(f.kc, storage, { status: 'True', reason: 'S3 Bucket Exists' });
    await f.start();

    await pushAndPullThroughRenderedRegistry();
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.KeyCount ?? 0).toBeGreaterThan(0);
    s3.destroy();
  });
});
