import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privateConfigurationSecretName, storageFieldManager } from '../src/render/names.ts';
import {
  applyYaml,
  createTinyImage,
  kubeRequest,
  ociManifestDigest,
  parseManifests,
  skopeoCopy,
  startMinio,
  testKubeConfig,
  workspaceRoot,
  writeCaCertDir,
  type Minio,
} from '@image-registry/testing';
import { startFrontedPod, type FrontedPod } from './fronted-pod.ts';
import type { DeploymentSpec } from './materialize.ts';
import { createConfig, fakeStorage, get, getDeployment, useWorkloadFixture, waitAvailable, type Json } from './support.ts';

const f = useWorkloadFixture({ beforeEach, afterEach }, testKubeConfig());
let work: string;
let pod: FrontedPod | undefined;
let minio: Minio | undefined;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'rw-registry-'));
});

afterEach(async () => {
  await pod?.stop();
  pod = undefined;
  await minio?.stop();
  minio = undefined;
  rmSync(work, { recursive: true, force: true });
});

/**
 * Runs the rendered pod's two containers as the kubelet would (the real CNCF registry on loopback and
 * registry-auth in front of it), then pushes and pulls an image over TLS that skopeo verifies against the
 * CA in ConfigMap serviceca, under the Service name, with a ServiceAccount token allowed to push.
 */
async function pushAndPullThroughRenderedRegistry(): Promise<void> {
  await waitAvailable(f.kc);
  const deployment = (await getDeployment(f.kc, f.ns)) as unknown as DeploymentSpec | undefined;
  if (!deployment) throw new Error('no Deployment image-registry');
  pod = await startFrontedPod(f.kc, f.ns, deployment, join(work, 'root'));
  // Behind the proxy the registry speaks plain HTTP, on loopback only.
  expect(pod.registry.tls).toBe(false);
  const roles = readFileSync(join(workspaceRoot(), 'deploy/apps/registry-auth/image-roles/image-roles.yaml'), 'utf8');
  await applyYaml(f.kc, parseManifests(roles));
  await kubeRequest(f.kc, 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${f.ns}/rolebindings`, {
    metadata: { name: 'pusher' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:image-pusher' },
    subjects: [{ kind: 'ServiceAccount', namespace: f.ns, name: 'default' }],
  });
  const { status } = await kubeRequest<{ status: { token: string } }>(f.kc, 'POST', `/api/v1/namespaces/${f.ns}/serviceaccounts/default/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 3600 },
  });
  const creds = `<token>:${status.token}`;

  const serviceca = await get<{ data: Record<string, string> }>(f.kc, `/api/v1/namespaces/${f.ns}/configmaps/serviceca`);
  const caDir = writeCaCertDir(join(work, 'ca'), serviceca?.data['service-ca.crt'] ?? '');
  const host = `image-registry.${f.ns}.svc:5000`;
  const resolve = { [host]: pod.address };
  const image = createTinyImage(join(work, 'image'));
  const ref = `docker://${host}/${f.ns}/tiny:v1`;

  // Without the serviceca CA the registry's certificate must not verify: the check below is real.
  await expect(skopeoCopy(image.ref, ref, { resolve, creds: { dst: creds } })).rejects.toThrow(/certificate/);
  // Without credentials the proxy refuses the push.
  await expect(skopeoCopy(image.ref, ref, { caCertDir: caDir, resolve })).rejects.toThrow(/unauthorized|authentication required/i);

  await expect
    .poll(() => skopeoCopy(image.ref, ref, { caCertDir: caDir, resolve, creds: { dst: creds } }).then(() => 'pushed', (e: Error) => e.message), {
      timeout: 30_000,
      interval: 1000,
    })
    .toBe('pushed');
  const pulled = join(work, 'pulled');
  await skopeoCopy(ref, `oci:${pulled}:v1`, { caCertDir: caDir, resolve, creds: { src: creds } });
  expect(ociManifestDigest(pulled, 'v1')).toBe(image.manifestDigest);
}

describe('the real registry binary with the rendered Deployment', () => {
  it('serves pushes and pulls over TLS from filesystem storage (emptyDir)', { timeout: 180_000 }, async () => {
    await f.managed();
    await pushAndPullThroughRenderedRegistry();
    // The blobs are in the emptyDir the Deployment mounts at /registry, not in the image's default root.
    expect(existsSync(join(work, `root/registry/docker/registry/v2/repositories/${f.ns}/tiny`))).toBe(true);
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
