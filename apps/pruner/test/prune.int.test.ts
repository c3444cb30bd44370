import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Manager } from '@image-registry/controller-runtime';
import {
  applyYaml,
  createTestNamespace,
  ensureEmulators,
  serviceAccountKubeConfig,
  skopeo,
  skopeoCopy,
  startMinio,
  testKubeconfigPath,
  testKubeConfig,
  workspaceRoot,
  writeKubeconfigFile,
  type Minio,
} from '@image-registry/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLayeredImage, seededBytes } from './oci-images.ts';
import { RegistryPod } from './registry-pod.ts';
import { adminManager, deleteSingletons, getOrUndefined, prunerTokenFile, startPruner, stopProcess } from './support.ts';

const kc = testKubeConfig();
const bucket = 'prune-test';
const uniqueSize = 192 * 1024;
const day = 24 * 3600 * 1000;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[]): { child: ChildProcess; done: Promise<Exit> } {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<Exit>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

async function bucketBytes(s3: S3Client): Promise<number> {
  let total = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) total += o.Size ?? 0;
    token = page.NextContinuationToken;
  } while (token);
  return total;
}

describe('the prune command against the real registry binary on MinIO', () => {
  let minio: Minio;
  let s3: S3Client;
  let ns: string;
  let pod: RegistryPod;
  let workload: ChildProcess | undefined;
  let pruner: { manager: Manager } | undefined;
  const work = mkdtempSync(join(tmpdir(), 'iro-prune-'));

  beforeAll(async () => {
    minio = await startMinio({ kmsKey: false });
    s3 = new S3Client({
      endpoint: minio.endpoint,
      region: minio.region,
      forcePathStyle: true,
      credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await deleteSingletons(kc);
    ns = await createTestNamespace(kc, 'prune');
    const s3Storage = { bucket, region: minio.region, regionEndpoint: minio.endpoint, encrypt: false };
    // What the storage app would have done: the credentials Secret, status.storage, StorageExists.
    await applyYaml(kc, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'image-registry-private-configuration', namespace: ns },
      stringData: {
        credentials: `[default]\naws_access_key_id = ${minio.accessKeyId}\naws_secret_access_key = ${minio.secretAccessKey}\n`,
      },
    });
    await applyYaml(
      kc,
      {
        apiVersion: 'imageregistry.operator.openshift.io/v1',
        kind: 'Config',
        metadata: { name: 'cluster' },
        spec: { managementState: 'Managed', replicas: 1, storage: { managementState: 'Unmanaged', s3: s3Storage } },
      },
      { fieldManager: adminManager },
    );
    await applyYaml(
      kc,
      {
        apiVersion: 'imageregistry.operator.openshift.io/v1',
        kind: 'Config',
        metadata: { name: 'cluster' },
        status: {
          storage: { s3: s3Storage, managementState: 'Unmanaged' },
          conditions: [{ type: 'StorageExists', status: 'True', reason: 'Creation Successful', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
        },
      },
      { fieldManager: 'image-registry-operator/storage', subresource: 'status' },
    );
    // The real registry-workload, as its own process: it renders the registry and honours the window.
    workload = spawn(
      process.execPath,
      [
        join(workspaceRoot(), 'apps/registry-workload/src/main.ts'),
        `--kubeconfig=${testKubeconfigPath()}`,
        `--namespace=${ns}`,
        '--metrics-bind-address=127.0.0.1:0',
        '--leader-elect=false',
        '--registry-flavour=distribution',
        '--serving-cert=self-signed',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    await vi.waitFor(
      async () => {
        const c = await getOrUndefined<{ status?: { conditions?: { type: string; status: string }[] } }>(kc, '/apis/imageregistry.operator.openshift.io/v1/configs/cluster');
        expect(c?.status?.conditions?.find((x) => x.type === 'Progressing')?.status).toBe('False');
      },
      { timeout: 120_000, interval: 500 },
    );
    pod = new RegistryPod(kc, ns);
    await pod.start();
    await vi.waitFor(() => expect(pod.starts).toBeGreaterThan(0), { timeout: 120_000, interval: 500 });
    // The pruner controller gives the job its ServiceAccount and RBAC (registry-api flavour).
    pruner = await startPruner(kc, { namespace: ns, flavour: 'registry-api', applyServiceCA: false });
    await vi.waitFor(async () => expect(await getOrUndefined(kc, `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings/image-pruner`)).toBeDefined(), { timeout: 60_000 });
  }, 300_000);

  afterAll(async () => {
    await pruner?.manager.stop();
    await stopProcess(workload);
    await pod?.stop();
    await minio?.stop();
  });

  const push = async (repo: string, tag: string, layers: Buffer[], created: Date) => {
    const image = createLayeredImage(join(work, `${repo.replace('/', '_')}-${tag}`), { tag, layers, created });
    await skopeoCopy(image.ref, `docker://${pod.address}/${repo}:${tag}`, { dstTlsVerify: false });
    return image;
  };
  /** A setup push: the registry may still be restarting for the workload's last render, so retry for a while. */
  const pushSettled = async (repo: string, tag: string, layers: Buffer[], created: Date) => {
    let image: Awaited<ReturnType<typeof push>> | undefined;
    await vi.waitFor(
      async () => {
        image = await push(repo, tag, layers, created);
      },
      { timeout: 120_000, interval: 1000 },
    );
    if (!image) throw new Error(`could not push ${repo}:${tag}`);
    return image;
  };
  const tagsOf = async (repo: string) =>
    JSON.parse((await skopeo(['list-tags', '--tls-verify=false', '--no-creds', `docker://${pod.address}/${repo}`])).stdout).Tags.sort() as string[];

  it('keeps the newest keepTagRevisions tags, deletes the rest, and gives their unique layers back', async () => {
    const base = seededBytes('shared base layer', 64 * 1024);
    const now = Date.now();
    const app: { tag: string; unique: number }[] = [];
    for (let i = 1; i <= 6; i++) {
      const image = await pushSettled('team/app', `v${i}`, [base, seededBytes(`app v${i}`, uniqueSize)], new Date(now - (10 - i) * day));
      app.push({ tag: `v${i}`, unique: image.layers[1]?.size ?? 0 });
    }
    for (let i = 1; i <= 2; i++) await pushSettled('team/other', `o${i}`, [base, seededBytes(`other o${i}`, uniqueSize)], new Date(now - (10 - i) * day));
    const before = await bucketBytes(s3);

    // A push racing the window: it lands whole before the registry turns read-only, or is refused.
    let racing = true;
    const raced: { tag: string; ok: boolean }[] = [];
    const race = (async () => {
      for (let i = 0; racing && i < 200; i++) {
        const tag = `r${i}`;
        try {
          await push('team/race', tag, [base, seededBytes(`race ${i} ${now}`, 32 * 1024)], new Date());
          raced.push({ tag, ok: true });
        } catch {
          raced.push({ tag, ok: false });
        }
      }
    })();

    const tokenFile = await prunerTokenFile(kc, ns, work);
    const kubeconfig = writeKubeconfigFile(await serviceAccountKubeConfig(kc, ns, 'pruner'));
    const { registry: registryBinary } = await ensureEmulators();
    const prune = run(process.execPath, [
      join(workspaceRoot(), 'apps/pruner/src/main.ts'),
      'prune',
      '--confirm=true',
      '--keep-tag-revisions=3',
      '--keep-younger-than=60m',
      '--ignore-invalid-refs=true',
      '--prune-registry=true',
      `--registry-url=http://${pod.address}`,
      `--namespace=${ns}`,
      `--kubeconfig=${kubeconfig}`,
      `--token-file=${tokenFile}`,
      `--registry-binary=${registryBinary}`,
      '--window-wait=3m',
    ]);
    const result = await prune.done;
    racing = false;
    await race;
    writeFileSync(join(work, 'prune.log'), result.stdout + result.stderr);
    console.info(`prune log: ${join(work, 'prune.log')}; racing pushes: ${raced.filter((r) => r.ok).length} landed, ${raced.filter((r) => !r.ok).length} refused`);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/prune summary: \d+ repositories, \d+ tags, 3 manifests deleted, \d+ blobs and \d+ bytes reclaimed/);
    expect(result.stdout).toContain('garbage collection done');

    // The window is released and the registry takes writes again (registry-workload rolled it back).
    const config = await getOrUndefined<{ status: { conditions: { type: string; status: string; reason?: string }[] } }>(kc, '/apis/imageregistry.operator.openshift.io/v1/configs/cluster');
    expect(config?.status.conditions.find((c) => c.type === 'ReadOnlyWindowRequested')).toMatchObject({ status: 'False', reason: 'Released' });
    await expect
      .poll(
        async () => {
          try {
            await push('team/after', 'a1', [seededBytes('after', 1024)], new Date());
            return true;
          } catch {
            return false;
          }
        },
        { timeout: 120_000, interval: 2000 },
      )
      .toBe(true);

    // Exactly the newest three of team/app and both of team/other remain, and they pull.
    await expect.poll(() => tagsOf('team/app'), { timeout: 60_000 }).toEqual(['v4', 'v5', 'v6']);
    expect(await tagsOf('team/other')).toEqual(['o1', 'o2']);
    for (const [repo, tag] of [['team/app', 'v4'], ['team/app', 'v6'], ['team/other', 'o1']] as const) {
      await skopeoCopy(`docker://${pod.address}/${repo}:${tag}`, `oci:${join(work, `pull-${tag}`)}:${tag}`, { srcTlsVerify: false });
    }
    await expect(skopeoCopy(`docker://${pod.address}/team/app:v1`, `oci:${join(work, 'pull-v1')}:v1`, { srcTlsVerify: false })).rejects.toThrow();

    // The bucket gave back the three unique layers (plus their small manifests and configs), not the shared one.
    const after = await bucketBytes(s3);
    const racedBytes = raced.filter((r) => r.ok).length * (32 * 1024 + 4096);
    const unique = app.slice(0, 3).reduce((n, a) => n + a.unique, 0);
    expect(before + racedBytes - after).toBeGreaterThanOrEqual(unique);
    expect(before - after).toBeLessThanOrEqual(unique + 64 * 1024);

    // Every racing tag that exists pulls whole: no manifest lost a layer to the collection.
    expect(raced.length).toBeGreaterThan(0);
    const racedTags = raced.some((r) => r.ok) ? await tagsOf('team/race') : [];
    for (const tag of racedTags) {
      await skopeoCopy(`docker://${pod.address}/team/race:${tag}`, `oci:${join(work, `pull-race-${tag}`)}:${tag}`, { srcTlsVerify: false });
    }

  }, 600_000);
});
