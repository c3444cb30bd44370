import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manager } from '@image-registry/controller-runtime';
import {
  applyYaml,
  createServingCertificate,
  createTestNamespace,
  serviceAccountKubeConfig,
  startRegistry,
  testKubeconfigPath,
  testKubeConfig,
  workspaceRoot,
  writeKubeconfigFile,
  type Registry,
} from '@image-registry/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seededBytes } from './oci-images.ts';
import { configCreated, pushImage } from './registry-push.ts';
import { applyConfig, deleteSingletons, getOrUndefined, prunerTokenFile, startPruner, stopProcess } from './support.ts';

const kc = testKubeConfig();
const day = 24 * 3600 * 1000;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

describe('the prune command through registry-auth, as ServiceAccount pruner', () => {
  let registry: Registry;
  let proxy: ChildProcess | undefined;
  let pruner: { manager: Manager } | undefined;
  let proxyUrl = '';
  const dir = mkdtempSync(join(tmpdir(), 'iro-prune-auth-'));
  let tokenFile = '';
  let namespace = '';

  beforeAll(async () => {
    await deleteSingletons(kc);
    namespace = await createTestNamespace(kc, 'prune-auth');
    const ns = namespace;
    pruner = await startPruner(kc, { namespace: ns, flavour: 'registry-api', applyServiceCA: false });
    await vi.waitFor(async () => expect(await getOrUndefined(kc, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/openshift-image-registry-pruner')).toBeDefined(), { timeout: 60_000 });
    registry = await startRegistry({ env: { REGISTRY_STORAGE_DELETE_ENABLED: 'true' } });
    const now = Date.now();
    for (let i = 1; i <= 4; i++) await pushImage(registry.url, 'team/api', `v${i}`, seededBytes(`api ${i}`, 1024), configCreated(new Date(now - (10 - i) * day)));
    const tls = await createServingCertificate({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    writeFileSync(join(dir, 'tls.crt'), tls.cert);
    writeFileSync(join(dir, 'tls.key'), tls.key, { mode: 0o600 });
    writeFileSync(join(dir, 'ca.crt'), tls.caCert);
    const port = await freePort();
    proxyUrl = `https://127.0.0.1:${port}`;
    // The proxy reviews tokens and access with the admin's rights here; its own RBAC is registry-auth's proof.
    proxy = spawn(
      process.execPath,
      [
        join(workspaceRoot(), 'apps/registry-auth/src/main.ts'),
        `--kubeconfig=${testKubeconfigPath()}`,
        `--listen-address=127.0.0.1:${port}`,
        `--upstream=${registry.url}`,
        `--tls-cert-file=${join(dir, 'tls.crt')}`,
        `--tls-key-file=${join(dir, 'tls.key')}`,
        '--metrics-bind-address=127.0.0.1:0',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    // Listening once a TCP connection succeeds (the proxy's TLS is the prune command's to verify).
    await vi.waitFor(
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.destroy();
            resolve();
          });
          socket.on('error', reject);
        }),
      { timeout: 60_000, interval: 500 },
    );
    tokenFile = await prunerTokenFile(kc, ns, dir);
  }, 300_000);

  afterAll(async () => {
    await pruner?.manager.stop();
    await stopProcess(proxy);
    await registry?.stop();
  });

  const prune = (token: string, extra: string[] = []) =>
    new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          join(workspaceRoot(), 'apps/pruner/src/main.ts'),
          'prune',
          '--confirm=true',
          '--keep-tag-revisions=2',
          `--registry-url=${proxyUrl}`,
          `--certificate-authority=${join(dir, 'ca.crt')}`,
          `--token-file=${token}`,
          ...extra,
        ],
        (err, stdout) => resolve({ code: err ? 1 : 0, stdout }),
      );
    });

  it('is refused without the token, naming what to fix', async () => {
    await vi.waitFor(async () => {
      const run = await prune('/nonexistent', ['--garbage-collect=never']);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('HTTP 401');
    }, { timeout: 60_000, interval: 2000 });
  });

  it('lists, reads and deletes through the proxy with system:image-pruner', async () => {
    const run = await prune(tokenFile, ['--garbage-collect=never']);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('2 manifests deleted');
    const tags = (await (await fetch(`${registry.url}/v2/team/api/tags/list`)).json()) as { tags: string[] };
    expect(tags.tags.sort()).toEqual(['v3', 'v4']);
    // The token never reaches the job's log.
    expect(run.stdout).not.toContain((await import('node:fs')).readFileSync(tokenFile, 'utf8'));
  });

  it('skips blob garbage collection on emptyDir storage, says why in the log, the summary and the Config', async () => {
    await applyConfig(kc, 'Managed');
    await applyYaml(
      kc,
      { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, status: { storage: { emptyDir: {} } } },
      { fieldManager: 'image-registry-operator/storage', subresource: 'status' },
    );
    await pushImage(registry.url, 'team/api', 'v0', seededBytes('api 0', 1024), configCreated(new Date(Date.now() - 20 * day)));
    const kubeconfig = writeKubeconfigFile(await serviceAccountKubeConfig(kc, namespace, 'pruner'));
    const run = await prune(tokenFile, [`--kubeconfig=${kubeconfig}`, `--namespace=${namespace}`]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('skipping blob garbage collection');
    expect(run.stdout).toMatch(/1 manifests deleted.*garbage collection skipped: the registry stores blobs in emptyDir volumes/);
    const config = await getOrUndefined<{ status: { conditions: { type: string; status: string; reason?: string; message?: string }[] } }>(kc, '/apis/imageregistry.operator.openshift.io/v1/configs/cluster');
    expect(config?.status.conditions.find((c) => c.type === 'ReadOnlyWindowRequested')).toMatchObject({
      status: 'False',
      reason: 'GarbageCollectionSkipped',
      message: expect.stringContaining('Blob garbage collection skipped: the registry stores blobs in emptyDir volumes'),
    });
  });
});
