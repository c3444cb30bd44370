import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, createTinyImage, kubeRequest, ociManifestDigest, skopeo, skopeoCopy, testKubeConfig } from '@image-registry/testing';
import { bindRole, request, serviceAccountToken, serviceHost, startStack, type Stack } from './support.ts';

// The contract with apps/pull-secrets: the `.dockercfg` it writes, with a token bound to its Secret.
describe('the pull secret apps/pull-secrets writes', () => {
  const admin = testKubeConfig();
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(admin);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('pulls as-is, and is refused once the Secret its token is bound to is deleted', async () => {
    const ns = await createTestNamespace(admin, 'pull-secret');
    // What pull-secrets grants every namespace: its ServiceAccounts pull its images.
    await kubeRequest(admin, 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
      metadata: { name: 'system:image-pullers' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:image-puller' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `system:serviceaccounts:${ns}` }],
    });
    await bindRole(admin, ns, 'system:image-pusher', { kind: 'User', name: 'alice' });
    const image = createTinyImage(mkdtempSync(join(tmpdir(), 'iro-auth-ps-')), { tag: 'v1' });
    await skopeoCopy(image.ref, `docker://${stack.registry.address}/${ns}/app:v1`, { dstTlsVerify: false });

    // The Secret, then a token bound to it, then the Secret's .dockercfg, exactly as pull-secrets writes it.
    const secret = await kubeRequest<{ metadata: { name: string; uid: string } }>(admin, 'POST', `/api/v1/namespaces/${ns}/secrets`, {
      metadata: { name: 'default-dockercfg-abcde', annotations: { 'openshift.io/internal-registry-auth-token.binding': 'bound' } },
      type: 'kubernetes.io/dockercfg',
      data: { '.dockercfg': Buffer.from('{}').toString('base64') },
    });
    const token = await serviceAccountToken(admin, ns, 'default', secret.metadata);
    const dockercfg = { [serviceHost]: { auth: Buffer.from(`<token>:${token}`).toString('base64') } };
    await kubeRequest(admin, 'PATCH', `/api/v1/namespaces/${ns}/secrets/${secret.metadata.name}`, { data: { '.dockercfg': Buffer.from(JSON.stringify(dockercfg)).toString('base64') } }, 'application/merge-patch+json');

    // A client reads the entry for the registry host (kubelet does the same with .dockercfg).
    const dir = mkdtempSync(join(tmpdir(), 'iro-auth-cfg-'));
    const authFile = join(dir, 'auth.json');
    writeFileSync(authFile, JSON.stringify({ auths: dockercfg }));
    const pulled = join(dir, 'pulled');
    const pull = (dest: string) =>
      skopeo(['copy', '--retry-times', '0', '--src-cert-dir', stack.caCertDir, '--src-authfile', authFile, `docker://${serviceHost}/${ns}/app:v1`, `oci:${dest}:v1`], {
        resolve: { [serviceHost]: stack.address },
      });
    await pull(pulled);
    expect(ociManifestDigest(pulled, 'v1')).toBe(image.manifestDigest);

    await kubeRequest(admin, 'DELETE', `/api/v1/namespaces/${ns}/secrets/${secret.metadata.name}`);
    const authorization = `Basic ${dockercfg[serviceHost]?.auth ?? ''}`;
    // The accepted token stays cached for at most the cache TTL (10 s here); then TokenReview says no.
    await expect
      .poll(async () => (await request(stack, 'GET', `/v2/${ns}/app/manifests/v1`, { authorization, accept: 'application/vnd.oci.image.manifest.v1+json' })).status, { timeout: 60_000, interval: 1000 })
      .toBe(401);
    await expect(pull(join(dir, 'again'))).rejects.toThrow(/unauthorized|401|authentication required/i);
  });
});
