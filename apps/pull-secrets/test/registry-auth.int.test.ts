import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyYaml,
  createServingCertificate,
  createTestNamespace,
  createTinyImage,
  kubeRequest,
  ociManifestDigest,
  parseManifests,
  serviceAccountKubeConfig,
  skopeo,
  skopeoCopy,
  startRegistry,
  testKubeConfig,
  workspaceRoot,
  writeCaCertDir,
  writeKubeconfigFile,
  type Registry,
} from '@image-registry/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from './ports.ts';
import { createServiceAccount, deleteNamespace, ensureRegistryService, injected, startApp, type RunningApp } from './support.ts';

// End to end with the data path: the pull secret this app writes, presented by a real client (skopeo)
// to apps/registry-auth (run as its own process, from its entry point) in front of the real registry.
const kc = testKubeConfig();
const serviceHost = 'image-registry.openshift-image-registry.svc:5000';
const namespaces: string[] = [];
let app: RunningApp;
let registry: Registry;
let auth: ChildProcess | undefined;
let authAddress: string;
let caCertDir: string;
let authLog = '';

async function startRegistryAuthProcess(): Promise<void> {
  const ns = await createTestNamespace(kc, 'ps-auth');
  namespaces.push(ns);
  await kubeRequest(kc, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'registry' } });
  const deploy = join(workspaceRoot(), 'deploy/apps/registry-auth');
  const rbac = parseManifests(readFileSync(join(deploy, 'rbac.yaml'), 'utf8').replaceAll('openshift-image-registry', ns)).map((m) =>
    m.kind === 'ClusterRoleBinding' ? { ...m, metadata: { ...m.metadata, name: `${m.metadata.name}-${ns}` } } : m,
  );
  // OpenShift's image roles (system:image-puller …), which registry-auth ships for plain Kubernetes.
  const roles = parseManifests(readFileSync(join(deploy, 'image-roles/image-roles.yaml'), 'utf8'));
  await applyYaml(kc, [...rbac, ...roles], { fieldManager: 'test' });
  const kubeconfig = writeKubeconfigFile(await serviceAccountKubeConfig(kc, ns, 'registry'));

  const tls = await createServingCertificate({ dnsNames: ['localhost', serviceHost.split(':')[0] ?? ''], ipAddresses: ['127.0.0.1'] });
  const dir = mkdtempSync(join(tmpdir(), 'iro-ps-auth-'));
  writeFileSync(join(dir, 'tls.crt'), tls.cert);
  writeFileSync(join(dir, 'tls.key'), tls.key, { mode: 0o600 });
  caCertDir = writeCaCertDir(join(dir, 'ca'), tls.caCert);
  const port = await freePort();
  authAddress = `127.0.0.1:${port}`;
  auth = spawn(
    process.execPath,
    [
      join(workspaceRoot(), 'apps/registry-auth/src/main.ts'),
      `--kubeconfig=${kubeconfig}`,
      `--listen-address=${authAddress}`,
      `--upstream=${registry.url}`,
      `--tls-cert-file=${join(dir, 'tls.crt')}`,
      `--tls-key-file=${join(dir, 'tls.key')}`,
      '--metrics-bind-address=0',
      '--log-level=info',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env['PATH'] ?? '' } },
  );
  const keep = (c: Buffer) => (authLog = (authLog + c.toString()).slice(-8000));
  auth.stdout?.on('data', keep);
  auth.stderr?.on('data', keep);
  // Ready once it answers on its TLS port (401 without credentials).
  await vi.waitFor(
    async () => {
      const answer = await skopeo(['inspect', '--retry-times', '0', '--cert-dir', caCertDir, '--no-creds', `docker://${serviceHost}/x/y:z`], {
        resolve: { [serviceHost]: authAddress },
      }).catch((e: Error) => e);
      if (!/unauthorized|authentication required|401/i.test(String(answer))) throw new Error(`registry-auth is not answering yet: ${authLog.slice(-500)}`);
    },
    { timeout: 60_000, interval: 500 },
  );
}

beforeAll(async () => {
  await ensureRegistryService(kc);
  registry = await startRegistry({ env: {} });
  await startRegistryAuthProcess();
  app = await startApp(kc);
}, 240_000);
afterAll(async () => {
  await app?.stop();
  auth?.kill('SIGTERM');
  await registry?.stop();
  for (const n of namespaces) await deleteNamespace(kc, n);
});

describe('through registry-auth and the real registry', () => {
  it('a ServiceAccount’s pull secret pulls an image of its own namespace and is refused for another', async () => {
    const own = await createTestNamespace(kc, 'ps-own');
    const other = await createTestNamespace(kc, 'ps-other');
    namespaces.push(own, other);
    const image = createTinyImage(mkdtempSync(join(tmpdir(), 'iro-ps-img-')), { tag: 'v1' });
    // Pushed straight to the registry (loopback, behind the proxy in the pod).
    for (const ns of [own, other]) await skopeoCopy(image.ref, `docker://${registry.address}/${ns}/app:v1`, { dstTlsVerify: false });

    await createServiceAccount(kc, own, 'puller');
    await expect.poll(() => injected(kc, own, 'puller'), { timeout: 60_000, interval: 250 }).toBeDefined();
    await expect
      .poll(() => kubeRequest(kc, 'GET', `/apis/rbac.authorization.k8s.io/v1/namespaces/${own}/rolebindings/system:image-pullers`).then(() => true, () => false), { timeout: 60_000 })
      .toBe(true);
    const { cfg } = (await injected(kc, own, 'puller')) ?? expect.unreachable();
    expect(cfg[serviceHost]).toBeDefined();

    // The secret's .dockercfg as a client's auth file, as kubelet reads it.
    const dir = mkdtempSync(join(tmpdir(), 'iro-ps-pull-'));
    const authFile = join(dir, 'auth.json');
    writeFileSync(authFile, JSON.stringify({ auths: cfg }), { mode: 0o600 });
    const pull = (ns: string, dest: string) =>
      skopeo(['copy', '--retry-times', '0', '--src-cert-dir', caCertDir, '--src-authfile', authFile, `docker://${serviceHost}/${ns}/app:v1`, `oci:${dest}:v1`], {
        resolve: { [serviceHost]: authAddress },
      });

    await pull(own, join(dir, 'own'));
    expect(ociManifestDigest(join(dir, 'own'), 'v1')).toBe(image.manifestDigest);
    const refused = await pull(other, join(dir, 'other')).then(() => undefined, (e: Error) => e.message);
    // Authenticated as the ServiceAccount, then refused by RBAC: no system:image-pullers grant there.
    expect(refused).toContain(`denied: system:serviceaccount:${own}:puller may not get imagestreams/layers`);
  }, 180_000);
});
