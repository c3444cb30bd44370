import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Resources, type KubeClient, type KubeObject } from '@image-registry/controller-runtime';
import { privateConfigurationSecretName, registryContainerName, registryDeploymentName } from '../render/names.ts';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name?: string; key?: string; optional?: boolean } };
}
interface SecretVolume {
  name: string;
  secret?: { secretName?: string; items?: { key: string; path: string }[] };
}
interface DeploymentView extends KubeObject {
  spec?: {
    template?: {
      spec?: {
        volumes?: SecretVolume[];
        containers?: { name: string; env?: EnvVar[]; volumeMounts?: { name: string; mountPath: string }[] }[];
      };
    };
  };
}
interface SecretView extends KubeObject {
  data?: Record<string, string>;
}

export class GarbageCollectionError extends Error {
  override name = 'GarbageCollectionError';
}

/** Storage the job cannot reach: every registry pod has its own emptyDir. */
export function unreachableStorage(storage: Record<string, unknown> | undefined): string | undefined {
  if (storage && 'emptyDir' in storage) {
    return 'the registry stores blobs in emptyDir volumes inside its pods, which the prune job cannot reach; blobs of deleted manifests stay until the pods restart';
  }
  return undefined;
}

/** Variables of the registry's storage worth passing to garbage-collect; never the HTTP or maintenance ones. */
function wanted(name: string): boolean {
  if (name.startsWith('REGISTRY_STORAGE_MAINTENANCE')) return false;
  if (name === 'REGISTRY_STORAGE' || name.startsWith('REGISTRY_STORAGE_')) return true;
  return /^(AWS|AZURE|GOOGLE)_/.test(name) || ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'].includes(name);
}

export interface StorageEnv {
  env: Record<string, string>;
  /** Files written for variables that point into the registry's mounted private configuration. */
  files: Record<string, string>;
}

/**
 * The registry's storage environment, read from its live Deployment (so garbage-collect sees exactly the
 * storage the registry writes). Secret references and files mounted from the private configuration
 * Secret (the S3 credentials file, the GCS key) are resolved from that Secret, the only one the job may
 * read, into `fileDir`. The values stay in this process, the child's environment and those files
 * (mode 0600); nothing of them is logged.
 */
export async function registryStorageEnv(client: KubeClient, namespace: string, fileDir: string): Promise<StorageEnv> {
  const deployment = (await client.get(Resources.Deployment, { namespace, name: registryDeploymentName })) as DeploymentView | undefined;
  if (!deployment) throw new GarbageCollectionError(`Deployment ${namespace}/${registryDeploymentName} does not exist: nothing to collect against`);
  const pod = deployment.spec?.template?.spec;
  const container = pod?.containers?.find((c) => c.name === registryContainerName);
  if (!container) throw new GarbageCollectionError(`Deployment ${registryDeploymentName} has no container ${registryContainerName}`);
  let secret: SecretView | undefined;
  const secretData = async (key: string, what: string, optional = false): Promise<string | undefined> => {
    secret ??= (await client.get(Resources.Secret, { namespace, name: privateConfigurationSecretName })) as SecretView | undefined;
    const encoded = secret?.data?.[key];
    if (encoded === undefined && !optional) {
      throw new GarbageCollectionError(`Secret ${privateConfigurationSecretName} has no key ${key} (for ${what}); the storage app writes it`);
    }
    return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
  };
  // Where the private configuration is mounted, and which file there is which key.
  const mounts = (container.volumeMounts ?? []).flatMap((m) => {
    const v = pod?.volumes?.find((x) => x.name === m.name);
    return v?.secret?.secretName === privateConfigurationSecretName ? [{ path: m.mountPath.replace(/\/$/, ''), items: v.secret.items }] : [];
  });
  const out: StorageEnv = { env: {}, files: {} };
  for (const v of container.env ?? []) {
    if (!wanted(v.name)) continue;
    const ref = v.valueFrom?.secretKeyRef;
    if (v.value !== undefined) {
      const mount = mounts.find((m) => v.value?.startsWith(`${m.path}/`));
      if (!mount) {
        out.env[v.name] = v.value;
        continue;
      }
      const file = v.value.slice(mount.path.length + 1);
      const key = mount.items ? mount.items.find((i) => i.path === file)?.key : file;
      if (!key) throw new GarbageCollectionError(`${v.name} points at ${v.value}, which the private configuration volume does not hold`);
      const local = join(fileDir, basename(file));
      writeFileSync(local, (await secretData(key, v.name)) ?? '', { mode: 0o600 });
      out.env[v.name] = local;
      out.files[v.name] = local;
    } else if (ref?.key) {
      if (ref.name !== privateConfigurationSecretName) {
        throw new GarbageCollectionError(`${v.name} comes from Secret ${ref.name ?? ''}; the prune job reads only ${privateConfigurationSecretName}`);
      }
      const value = await secretData(ref.key, v.name, ref.optional === true);
      if (value !== undefined) out.env[v.name] = value;
    }
  }
  if (!out.env['REGISTRY_STORAGE']) throw new GarbageCollectionError(`the registry container sets no REGISTRY_STORAGE; cannot tell its storage`);
  return out;
}

export interface GcResult {
  /** Blob digests garbage-collect removed (or would remove in a dry run). */
  blobs: Set<string>;
  manifests: number;
  output: string;
}

/** The digests garbage-collect reports: `blob eligible for deletion: sha256:…`. */
export function parseGcOutput(output: string): Omit<GcResult, 'output'> {
  const blobs = new Set<string>();
  let manifests = 0;
  for (const line of output.split('\n')) {
    const blob = /blob eligible for deletion:\s*(\S+)/.exec(line);
    if (blob?.[1]) blobs.add(blob[1]);
    if (/manifest eligible for deletion/.test(line)) manifests++;
  }
  return { blobs, manifests };
}

export interface RunGcOptions {
  binary: string;
  env: Record<string, string>;
  /** Kill garbage-collect at this time (the window's deadline minus the margin). */
  stopAt: Date;
  dryRun?: boolean;
  signal?: AbortSignal;
}

/** `registry garbage-collect` with the registry's storage; throws with its last words on failure. */
export async function runGarbageCollect(opts: RunGcOptions): Promise<GcResult> {
  const dir = mkdtempSync(join(tmpdir(), 'iro-gc-'));
  const config = join(dir, 'config.yml');
  // The storage comes from the environment; the file only has to be a valid configuration.
  writeFileSync(config, 'version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: /var/lib/registry\n');
  const args = ['garbage-collect', ...(opts.dryRun ? ['--dry-run'] : []), config];
  try {
    return await new Promise<GcResult>((resolve, reject) => {
      const child = spawn(opts.binary, args, {
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', OTEL_TRACES_EXPORTER: 'none', ...opts.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
      const ms = Math.max(0, opts.stopAt.getTime() - Date.now());
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      const onAbort = () => child.kill('SIGKILL');
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new GarbageCollectionError(`could not run ${opts.binary}: ${err.message}`, { cause: err }));
      });
      child.on('close', (code, sig) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (code === 0) {
          resolve({ ...parseGcOutput(output), output });
          return;
        }
        const tail = output.trim().split('\n').slice(-5).join('\n');
        const why = sig ? `was stopped (${sig}${Date.now() >= opts.stopAt.getTime() ? ': the read-only window was about to end' : ''})` : `exited with ${code}`;
        reject(new GarbageCollectionError(`registry garbage-collect ${why}: ${tail}`));
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
