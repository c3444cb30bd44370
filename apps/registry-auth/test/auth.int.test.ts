import { mkdtempSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, createTinyImage, kubeRequest, ociManifestDigest, skopeoCopy, testKubeConfig } from '@image-registry/testing';
import { basic, bindRole, request, serviceAccountToken, startStack, userToken, type Stack } from './support.ts';

// The proof: real API server (TokenReview, SubjectAccessReview, RBAC), the real registry binary
// behind the proxy, and skopeo as the client.
describe('registry-auth in front of the registry', () => {
  const admin = testKubeConfig();
  let stack: Stack;
  let a: string;
  let b: string;
  let tokenA: string;
  const ociManifest = 'application/vnd.oci.image.manifest.v1+json';
  const tmp = () => mkdtempSync(join(tmpdir(), 'iro-auth-image-'));
  const ref = (repo: string) => `docker://${stack.address}/${repo}`;

  beforeAll(async () => {
    stack = await startStack(admin);
    a = await createTestNamespace(admin, 'team-a');
    b = await createTestNamespace(admin, 'team-b');
    // What pull-secrets ships per namespace (system:image-pullers) plus push for the namespace's own SA.
    await bindRole(admin, a, 'system:image-pusher', { kind: 'ServiceAccount', namespace: a, name: 'default' });
    tokenA = await serviceAccountToken(admin, a);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('lets a ServiceAccount push to its own namespace and pull the image back unchanged', async () => {
    const image = createTinyImage(tmp(), { tag: '1' });
    await skopeoCopy(image.ref, ref(`${a}/app:1`), { caCertDir: stack.caCertDir, creds: { dst: `<token>:${tokenA}` } });
    const out = tmp();
    await skopeoCopy(ref(`${a}/app:1`), `oci:${out}:1`, { caCertDir: stack.caCertDir, creds: { src: `<token>:${tokenA}` } });
    expect(ociManifestDigest(out, '1')).toBe(image.manifestDigest);
  });

  it('refuses a push to another namespace with 403 and says which permission is missing', async () => {
    const image = createTinyImage(tmp(), { tag: '1' });
    const push = skopeoCopy(image.ref, ref(`${b}/app:1`), { caCertDir: stack.caCertDir, creds: { dst: `<token>:${tokenA}` } });
    await expect(push).rejects.toThrow(/denied|403|forbidden/i);
    const answer = await request(stack, 'POST', `/v2/${b}/app/blobs/uploads/`, { authorization: `Bearer ${tokenA}` });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({
      errors: [
        {
          code: 'DENIED',
          message: `system:serviceaccount:${a}:default may not update imagestreams/layers.image.openshift.io in the namespace "${b}" (needed to push ${b}/app); a RoleBinding to system:image-pusher in "${b}" grants it`,
          detail: null,
        },
      ],
    });
  });

  it('refuses a pull from another namespace until a RoleBinding grants system:image-puller', async () => {
    const image = createTinyImage(tmp(), { tag: 'shared' });
    const tokenB = await serviceAccountToken(admin, b);
    await bindRole(admin, b, 'system:image-pusher', { kind: 'ServiceAccount', namespace: b, name: 'default' });
    await expect
      .poll(async () => (await request(stack, 'POST', `/v2/${b}/base/blobs/uploads/`, { authorization: `Bearer ${tokenB}` })).status, {
        timeout: 30_000,
        interval: 500,
      })
      .toBe(202);
    await skopeoCopy(image.ref, ref(`${b}/base:shared`), { caCertDir: stack.caCertDir, creds: { dst: `<token>:${tokenB}` } });

    const pull = () => skopeoCopy(ref(`${b}/base:shared`), `oci:${tmp()}:x`, { caCertDir: stack.caCertDir, creds: { src: `<token>:${tokenA}` } });
    await expect(pull()).rejects.toThrow(/denied|403|forbidden/i);
    await bindRole(admin, b, 'system:image-puller', { kind: 'ServiceAccount', namespace: a, name: 'default' });
    // The denial was cached for at most the negative TTL; the grant takes effect after it.
    await expect
      .poll(async () => (await request(stack, 'GET', `/v2/${b}/base/manifests/shared`, { authorization: basic(tokenA), accept: ociManifest })).status, {
        timeout: 30_000,
        interval: 500,
      })
      .toBe(200);
    await expect(pull()).resolves.toBeDefined();
  });

  it('refuses anonymous pushes and pulls with 401 and a Basic challenge', async () => {
    const image = createTinyImage(tmp(), { tag: '1' });
    await expect(skopeoCopy(image.ref, ref(`${a}/anon:1`), { caCertDir: stack.caCertDir })).rejects.toThrow(/unauthorized|401|authentication required/i);
    await expect(skopeoCopy(ref(`${a}/app:1`), `oci:${tmp()}:1`, { caCertDir: stack.caCertDir })).rejects.toThrow(
      /unauthorized|401|authentication required/i,
    );
    for (const path of ['/v2/', `/v2/${a}/app/manifests/1`]) {
      const answer = await request(stack, 'GET', path);
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Basic realm="openshift"');
    }
  });

  it('answers /v2/ with 200 to any identity the API server accepts, and 401 to a token it does not', async () => {
    expect((await request(stack, 'GET', '/v2/', { authorization: basic(tokenA) })).status).toBe(200);
    const forged = await request(stack, 'GET', '/v2/', { authorization: 'Bearer not-a-token' });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body).errors[0].code).toBe('UNAUTHORIZED');
  });

  it('lets a user token bound to system:image-pusher push to that namespace', async () => {
    const token = userToken('alice');
    const image = createTinyImage(tmp(), { tag: 'v1' });
    await expect(skopeoCopy(image.ref, ref(`${b}/alice:v1`), { caCertDir: stack.caCertDir, creds: { dst: `alice:${token}` } })).rejects.toThrow(
      /denied|403/i,
    );
    await bindRole(admin, b, 'system:image-pusher', { kind: 'User', name: 'alice' });
    // The refused attempt's denials stay cached for the negative TTL: wait until pull and push both pass.
    const statuses = async () => [
      (await request(stack, 'GET', `/v2/${b}/alice/tags/list`, { authorization: `Bearer ${token}` })).status,
      (await request(stack, 'POST', `/v2/${b}/alice/blobs/uploads/`, { authorization: `Bearer ${token}` })).status,
    ];
    await expect.poll(statuses, { timeout: 30_000, interval: 500 }).toEqual([404, 202]);
    await skopeoCopy(image.ref, ref(`${b}/alice:v1`), { caCertDir: stack.caCertDir, creds: { dst: `alice:${token}` } });
    const out = tmp();
    await skopeoCopy(ref(`${b}/alice:v1`), `oci:${out}:v1`, { caCertDir: stack.caCertDir, creds: { src: `alice:${token}` } });
    expect(ociManifestDigest(out, 'v1')).toBe(image.manifestDigest);
  });

  it('answers Expect: 100-continue only once the request is allowed', async () => {
    const upload = (repo: string) =>
      new Promise<{ continued: boolean; status: number }>((resolve, reject) => {
        let continued = false;
        const req = https.request(
          {
            host: '127.0.0.1',
            port: stack.auth.address.port,
            method: 'POST',
            path: `/v2/${repo}/blobs/uploads/`,
            ca: stack.caCert,
            agent: false,
            headers: { authorization: basic(tokenA), expect: '100-continue', 'content-length': '4' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ continued, status: res.statusCode ?? 0 }));
          },
        );
        req.on('continue', () => {
          continued = true;
          req.end('data');
        });
        req.on('error', reject);
        req.flushHeaders();
      });
    expect(await upload(`${b}/app`)).toEqual({ continued: false, status: 403 });
    expect(await upload(`${a}/app`)).toEqual({ continued: true, status: 202 });
  });

  it('reads no more than 16 KiB of request head', async () => {
    const answer = await request(stack, 'GET', '/v2/', { authorization: `Bearer ${'x'.repeat(20 * 1024)}` });
    expect(answer.status).toBe(431);
  });

  it('refuses a one-component repository with a message naming the form to use', async () => {
    const answer = await request(stack, 'POST', '/v2/app/blobs/uploads/', { authorization: basic(tokenA) });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).errors[0]).toMatchObject({ code: 'NAME_INVALID' });
    expect(JSON.parse(answer.body).errors[0].message).toContain('<namespace>/<name>');
  });

  it('asks for delete images cluster-wide to delete a manifest, and list imagestreams for the catalog', async () => {
    const del = await request(stack, 'DELETE', `/v2/${a}/app/manifests/sha256:${'0'.repeat(64)}`, { authorization: basic(tokenA) });
    expect(del.status).toBe(403);
    expect(JSON.parse(del.body).errors[0].message).toContain('delete images.image.openshift.io at the cluster scope');
    const catalog = await request(stack, 'GET', '/v2/_catalog', { authorization: basic(tokenA) });
    expect(catalog.status).toBe(403);
    expect(JSON.parse(catalog.body).errors[0].message).toContain('list imagestreams.image.openshift.io at the cluster scope');
  });

  it('lets a ServiceAccount bound to system:image-pruner cluster-wide list the catalog and delete a manifest', async () => {
    const image = createTinyImage(tmp(), { tag: 'old' });
    await skopeoCopy(image.ref, ref(`${a}/prunable:old`), { caCertDir: stack.caCertDir, creds: { dst: `<token>:${tokenA}` } });
    const prunerNs = await createTestNamespace(admin, 'pruner');
    await kubeRequest(admin, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      metadata: { name: `test-pruner-${prunerNs}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:image-pruner' },
      subjects: [{ kind: 'ServiceAccount', namespace: prunerNs, name: 'default' }],
    });
    const pruner = await serviceAccountToken(admin, prunerNs);
    await expect.poll(async () => (await request(stack, 'GET', '/v2/_catalog', { authorization: basic(pruner) })).status, { timeout: 30_000, interval: 500 }).toBe(200);
    const catalog = await request(stack, 'GET', '/v2/_catalog', { authorization: basic(pruner) });
    expect(JSON.parse(catalog.body).repositories).toContain(`${a}/prunable`);
    const del = await request(stack, 'DELETE', `/v2/${a}/prunable/manifests/${image.manifestDigest}`, { authorization: basic(pruner) });
    expect(del.status).toBe(202);
    const gone = await request(stack, 'GET', `/v2/${a}/prunable/manifests/${image.manifestDigest}`, { authorization: basic(tokenA), accept: ociManifest });
    expect(gone.status).toBe(404);
    await kubeRequest(admin, 'DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/test-pruner-${prunerNs}`);
  });
});
