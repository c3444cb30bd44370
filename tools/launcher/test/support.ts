import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyYaml,
  controlPlaneBinaries,
  forceDelete,
  kubeRequest,
  KubeRequestError,
  parseManifests,
  runNx,
  serviceAccountKubeConfig,
  workspaceRoot,
  writeKubeconfigFile,
  type Manifest,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';

export const root = workspaceRoot();
export const launcherBundle = join(root, 'dist/tools/launcher/main.mjs');
export const bundleDir = join(root, 'dist/apps');
const shippedNamespace = 'openshift-image-registry';

/** Bundles the launcher and the apps (Nx-cached): the test runs what the image ships. */
export async function bundle(apps: string[]): Promise<void> {
  const projects = ['@image-registry/launcher', ...apps.map((a) => `@image-registry/${a}`)];
  await runNx(['run-many', '-t', 'bundle', `--projects=${projects.join(',')}`]);
  for (const path of [launcherBundle, ...apps.map((a) => join(bundleDir, a, 'main.mjs'))]) {
    if (!existsSync(path)) throw new Error(`no bundle at ${path} after nx run-many -t bundle`);
  }
}

/** deploy/overlays/all-in-one as the real kustomize (in kubectl) renders it, moved to `namespace`. */
export async function renderOverlay(namespace = shippedNamespace): Promise<Manifest[]> {
  const { binDir } = await controlPlaneBinaries();
  const yaml = execFileSync(
    join(binDir, 'kubectl'),
    ['kustomize', join(root, 'deploy/overlays/all-in-one')],
    { encoding: 'utf8' },
  );
  return parseManifests(yaml.replaceAll(shippedNamespace, namespace));
}

const rbacKinds = new Set([
  'Namespace',
  'ServiceAccount',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
]);

/**
 * Applies the overlay's ServiceAccount and RBAC into `namespace` and returns a kubeconfig file holding
 * that ServiceAccount's token: the launcher runs with exactly what the all-in-one pod would have.
 */
export async function provisionAllInOne(admin: KubeConfig, namespace: string): Promise<string> {
  const rbac = (await renderOverlay(namespace)).filter((m) => rbacKinds.has(m.kind));
  await applyYaml(admin, rbac, { fieldManager: 'launcher-test' });
  return writeKubeconfigFile(
    await serviceAccountKubeConfig(admin, namespace, 'image-registry-operator', 3600),
  );
}

export interface Launcher {
  child: ChildProcess;
  log: string;
  /** Resolves with the exit code (a signal counts as -1). */
  exited: Promise<number>;
  lines(): Record<string, unknown>[];
}

export function startLauncher(name: string, args: string[], env: Record<string, string> = {}): Launcher {
  const logDir = join(root, 'tmp/launcher-test');
  mkdirSync(logDir, { recursive: true });
  const log = join(logDir, `${name}.log`);
  const fd = openSync(log, 'w');
  const child = spawn(process.execPath, [launcherBundle, ...args], {
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...env },
  });
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  return {
    child,
    log,
    exited,
    lines: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** Stops a launcher still running (SIGKILL after 60 s) so no test leaves a process behind. */
export async function stopLauncher(l: Launcher | undefined): Promise<void> {
  if (!l || l.child.exitCode !== null || l.child.signalCode !== null) return;
  l.child.kill('SIGTERM');
  const timer = setTimeout(() => l.child.kill('SIGKILL'), 60_000);
  await l.exited;
  clearTimeout(timer);
}

export async function getText(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

/** The Lease's holder; '' once released (the API server drops the null holderIdentity); undefined: no Lease. */
export async function leaseHolder(
  kc: KubeConfig,
  namespace: string,
  name: string,
): Promise<string | undefined> {
  try {
    const lease = await kubeRequest<{ spec?: { holderIdentity?: string | null } }>(
      kc,
      'GET',
      `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/${name}`,
    );
    return lease.spec?.holderIdentity ?? '';
  } catch (err) {
    if (err instanceof KubeRequestError && err.status === 404) return undefined;
    throw err;
  }
}

export async function clusterOperatorConditions(kc: KubeConfig): Promise<string[]> {
  try {
    const co = await kubeRequest<{ status?: { conditions?: { type: string; status: string }[] } }>(
      kc,
      'GET',
      '/apis/config.openshift.io/v1/clusteroperators/image-registry',
    );
    return (co.status?.conditions ?? [])
      .filter((c) => ['Available', 'Progressing', 'Degraded'].includes(c.type))
      .map((c) => `${c.type}=${c.status}`)
      .sort();
  } catch (err) {
    if (err instanceof KubeRequestError && err.status === 404) return [];
    throw err;
  }
}

/** Config/cluster as an admin writes it for the simplest registry: Managed, one replica, emptyDir. */
export async function applyEmptyDirConfig(kc: KubeConfig): Promise<void> {
  const config = { managementState: 'Managed', replicas: 1, storage: { emptyDir: {} } };
  await applyYaml(
    kc,
    {
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      spec: config,
    },
    { fieldManager: 'cluster-admin' },
  );
}

/** Deletes Config/cluster (finalizer released) and the ClusterOperator, so a test starts fresh. */
export async function deleteSingletons(kc: KubeConfig): Promise<void> {
  await forceDelete(kc, '/apis/imageregistry.operator.openshift.io/v1/configs/cluster');
  await forceDelete(kc, '/apis/config.openshift.io/v1/clusteroperators/image-registry');
}
