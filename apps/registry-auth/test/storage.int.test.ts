import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, ociManifestDigest, skopeoCopy, startMinio, testKubeConfig, type Minio } from '@image-registry/testing';
import { createLayeredImage, verifiedBlobs } from './layered-image.ts';
import { basic, bindRole, request, serviceAccountToken, startStack, type Stack } from './support.ts';

const admin = testKubeConfig();

/**
 * A multi-layer image pushed and pulled through the proxy is byte-for-byte what a direct push to the
 * registry stores and serves: same manifest digest, same blobs, each blob matching its digest.
 */
async function throughProxyEqualsDirect(stack: Stack, work: string): Promise<void> {
  const ns = await createTestNamespace(admin, 'layers');
  await bindRole(admin, ns, 'system:image-pusher', { kind: 'ServiceAccount', namespace: ns, name: 'default' });
  const token = await serviceAccountToken(admin, ns);
  const image = createLayeredImage(join(work, 'src'), { tag: 'v1', layers: 4, layerBytes: 3 * 1024 * 1024 });
  const creds = `<token>:${token}`;
  const proxied = `docker://${stack.address}/${ns}/app:v1`;
  await expect
    .poll(async () => (await request(stack, 'POST', `/v2/${ns}/app/blobs/uploads/`, { authorization: basic(token) })).status, { timeout: 30_000, interval: 500 })
    .toBe(202);
  await skopeoCopy(image.ref, proxied, { caCertDir: stack.caCertDir, creds: { dst: creds }, timeoutMs: 120_000 });
  // The reference: the same image pushed straight to the registry, without the proxy.
  await skopeoCopy(image.ref, `docker://${stack.registry.address}/${ns}/direct:v1`, { dstTlsVerify: false, timeoutMs: 120_000 });

  const viaProxy = join(work, 'via-proxy');
  const direct = join(work, 'direct');
  await skopeoCopy(proxied, `oci:${viaProxy}:v1`, { caCertDir: stack.caCertDir, creds: { src: creds }, timeoutMs: 120_000 });
  await skopeoCopy(`docker://${stack.registry.address}/${ns}/direct:v1`, `oci:${direct}:v1`, { srcTlsVerify: false, timeoutMs: 120_000 });
  expect(ociManifestDigest(viaProxy, 'v1')).toBe(image.manifestDigest);
  expect(ociManifestDigest(direct, 'v1')).toBe(image.manifestDigest);
  const expected = [...image.blobDigests, image.manifestDigest].sort();
  expect(verifiedBlobs(viaProxy)).toEqual(expected);
  expect(verifiedBlobs(direct)).toEqual(expected);
}

describe('layers through the proxy over filesystem storage (emptyDir)', () => {
  let stack: Stack;
  let work: string;
  beforeAll(async () => {
    stack = await startStack(admin);
    work = mkdtempSync(join(tmpdir(), 'iro-auth-fs-'));
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('pushes and pulls a multi-layer image byte-identical to a direct push', async () => {
    await throughProxyEqualsDirect(stack, work);
  });
});

describe('layers through the proxy over S3 storage (MinIO)', () => {
  let stack: Stack;
  let minio: Minio;
  let work: string;
  beforeAll(async () => {
    minio = await startMinio();
    const bucket = 'registry-auth-layers';
    const s3 = new S3Client({
      endpoint: minio.endpoint,
      region: minio.region,
      forcePathStyle: true,
      credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    s3.destroy();
    stack = await startStack(admin, {
      registryEnv: {
        REGISTRY_STORAGE: 's3',
        REGISTRY_STORAGE_S3_BUCKET: bucket,
        REGISTRY_STORAGE_S3_REGION: minio.region,
        REGISTRY_STORAGE_S3_REGIONENDPOINT: minio.endpoint,
        REGISTRY_STORAGE_S3_FORCEPATHSTYLE: 'true',
        REGISTRY_STORAGE_S3_ACCESSKEY: minio.accessKeyId,
        REGISTRY_STORAGE_S3_SECRETKEY: minio.secretAccessKey,
        REGISTRY_STORAGE_S3_ENCRYPT: 'false',
      },
    });
    work = mkdtempSync(join(tmpdir(), 'iro-auth-s3-'));
  });
  afterAll(async () => {
    await stack?.stop();
    await minio?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('pushes and pulls a multi-layer image byte-identical to a direct push, following redirects to storage', async () => {
    await throughProxyEqualsDirect(stack, work);
  });

  it('passes the registry redirect to storage to the client untouched', async () => {
    const ns = await createTestNamespace(admin, 'redirect');
    await bindRole(admin, ns, 'system:image-pusher', { kind: 'ServiceAccount', namespace: ns, name: 'default' });
    const token = await serviceAccountToken(admin, ns);
    const image = createLayeredImage(join(work, 'redirect'), { tag: 'v1', layers: 1, layerBytes: 4096 });
    await skopeoCopy(image.ref, `docker://${stack.registry.address}/${ns}/app:v1`, { dstTlsVerify: false });
    const path = `/v2/${ns}/app/blobs/${image.layerDigests[0]}`;
    await expect.poll(async () => (await request(stack, 'GET', path, { authorization: basic(token) })).status, { timeout: 30_000, interval: 500 }).toBe(307);
    const answer = await request(stack, 'GET', path, { authorization: basic(token) });
    expect(answer.headers.location).toMatch(new RegExp(`^${minio.endpoint}/`));
    expect(answer.headers.location).toContain('X-Amz-Signature=');
  });
});
