// Upstream's e2e helpers (upstream-inventory §15), against the system the global setup started.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, inject } from 'vitest';
import { KubeRequestError, kubeRequest, loadKubeConfig } from '@image-registry/testing';
import { forbiddenLines } from './system/app-processes.ts';
import { refusedByMetrics } from './system/metrics.ts';

const run = promisify(execFile);
export const kc = loadKubeConfig(inject('kubeconfigPath'));
export const namespace = inject('namespace');
export const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';
const coPath = '/apis/config.openshift.io/v1/clusteroperators/image-registry';
/** Upstream's default async timeout is 5 minutes; a busy machine gets most of it. */
export const timeout = 180_000;
const interval = 1_000;

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface Obj {
  metadata: { uid?: string; generation?: number; resourceVersion?: string; finalizers?: string[] };
  spec?: Record<string, unknown>;
  status?: { conditions?: Condition[]; observedGeneration?: number; [k: string]: unknown };
}

/** kubectl with the test cluster's kubeconfig: the seed documents' commands run verbatim. */
export async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run(
    join(inject('binDir'), 'kubectl'),
    [`--kubeconfig=${inject('kubeconfigPath')}`, ...args],
    { encoding: 'utf8' },
  );
  return stdout;
}

export async function get<T = Obj>(path: string): Promise<T | undefined> {
  try {
    return await kubeRequest<T>(kc, 'GET', path);
  } catch (err) {
    if (err instanceof KubeRequestError && err.status === 404) return undefined;
    throw err;
  }
}

export const getConfig = () => get(configPath);
export const deploymentPath = (name = 'image-registry') =>
  `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`;

export function condition(obj: Obj | undefined, type: string): Condition | undefined {
  return obj?.status?.conditions?.find((c) => c.type === type);
}

/** Deletes Config/cluster (finalizers released) and creates it with `spec`, as upstream's DeployImageRegistry. */
export async function freshConfig(spec: Record<string, unknown>): Promise<void> {
  const old = await getConfig();
  if (old) {
    await kubeRequest(
      kc,
      'PATCH',
      configPath,
      { metadata: { finalizers: null } },
      'application/merge-patch+json',
    ).catch(() => undefined);
    await kubeRequest(kc, 'DELETE', configPath).catch(() => undefined);
    await expect
      .poll(async () => (await getConfig())?.metadata.uid !== old.metadata.uid, { timeout, interval })
      .toBe(true);
  }
  const body = {
    apiVersion: 'imageregistry.operator.openshift.io/v1',
    kind: 'Config',
    metadata: { name: 'cluster' },
    spec: { managementState: 'Managed', replicas: 1, storage: { emptyDir: {} }, ...spec },
  };
  await kubeRequest(
    kc,
    'PATCH',
    `${configPath}?fieldManager=e2e&force=true`,
    body,
    'application/apply-patch+yaml',
  );
}

/** Upstream's "available": the Config observed, Progressing False, Available True; Degraded True fails. */
export async function ensureAvailable(): Promise<void> {
  await expect
    .poll(
      async () => {
        const c = await getConfig();
        const degraded = condition(c, 'Degraded');
        if (degraded?.status === 'True')
          throw new Error(`the registry is Degraded: ${degraded.reason}: ${degraded.message}`);
        return (
          (c?.status?.observedGeneration ?? -1) >= (c?.metadata.generation ?? 0) &&
          condition(c, 'Progressing')?.status === 'False' &&
          condition(c, 'Available')?.status === 'True'
        );
      },
      { timeout, interval },
    )
    .toBe(true);
}

/** Upstream's "CO normal": Available, not Progressing, not Degraded, and the operand namespace related. */
export async function ensureClusterOperatorNormal(): Promise<void> {
  await expect
    .poll(
      async () => {
        const co = await get<Obj & { status?: { relatedObjects?: { resource: string; name: string }[] } }>(
          coPath,
        );
        return {
          Available: condition(co, 'Available')?.status,
          Progressing: condition(co, 'Progressing')?.status,
          Degraded: condition(co, 'Degraded')?.status,
          related: (co?.status?.relatedObjects ?? []).some(
            (o) => o.resource === 'namespaces' && o.name === namespace,
          ),
        };
      },
      { timeout, interval },
    )
    .toEqual({ Available: 'True', Progressing: 'False', Degraded: 'False', related: true });
}

/** Upstream's "not hot-looping": the Config's resourceVersion stays the same for 15 s, within 3 minutes. */
export async function ensureNotHotLooping(): Promise<void> {
  let last = '';
  let since = Date.now();
  await expect
    .poll(
      async () => {
        const rv = (await getConfig())?.metadata.resourceVersion ?? '';
        if (rv !== last) {
          last = rv;
          since = Date.now();
        }
        return Date.now() - since >= 15_000;
      },
      { timeout, interval },
    )
    .toBe(true);
}

/** Upstream's "hostname set": the image config names the registry's Service. */
export async function ensureInternalRegistryHostnameIsSet(): Promise<void> {
  await expect
    .poll(
      async () =>
        (await get('/apis/config.openshift.io/v1/images/cluster'))?.status?.['internalRegistryHostname'],
      { timeout, interval },
    )
    .toBe(`image-registry.${namespace}.svc:5000`);
}

/** Upstream's "node-ca available": the DaemonSet has an available pod. */
export async function ensureNodeCADaemonSetIsAvailable(): Promise<void> {
  await expect
    .poll(
      async () =>
        (await get(`/apis/apps/v1/namespaces/${namespace}/daemonsets/node-ca`))?.status?.['numberAvailable'],
      { timeout, interval },
    )
    .toBeGreaterThan(0);
}

export async function ensureRemoved(): Promise<void> {
  await expect
    .poll(
      async () => {
        const c = await getConfig();
        return { Progressing: condition(c, 'Progressing')?.status, Removed: condition(c, 'Removed')?.status };
      },
      { timeout, interval },
    )
    .toEqual({ Progressing: 'False', Removed: 'True' });
}

/** The admin's managementState Removed, reached (Progressing False, Removed True). */
export async function setRemoved(): Promise<void> {
  await kubeRequest(
    kc,
    'PATCH',
    configPath,
    { spec: { managementState: 'Removed' } },
    'application/merge-patch+json',
  );
  await ensureRemoved();
}

/** Upstream's teardown: no container restarted, the registry reaches Removed; and no app was ever refused (403). */
export async function teardown(): Promise<void> {
  const pods = await kubeRequest<{
    items: {
      metadata: { name: string };
      status?: { containerStatuses?: { name: string; restartCount: number }[] };
    }[];
  }>(kc, 'GET', `/api/v1/namespaces/${namespace}/pods`);
  const restarted = pods.items.flatMap((p) =>
    (p.status?.containerStatuses ?? [])
      .filter((c) => c.restartCount > 0)
      .map((c) => `${p.metadata.name}/${c.name}`),
  );
  expect(restarted).toEqual([]);
  await setRemoved();
  expect(refusedLines()).toEqual([]);
  // The apps' own count too: a refused request that no log line mentions (a retried read) shows there.
  expect(await refusedByMetrics(inject('metricsPorts'))).toEqual([]);
}

const apps = [
  'node-ca',
  'pruner',
  'pull-secrets',
  'registry-auth',
  'registry-workload',
  'routes',
  'status',
  'storage',
];
/** Restarts a controller app of the system with `env` added (none: as shipped), as a Deployment rollout would. */
export async function restartApp(app: string, env: Record<string, string> = {}): Promise<void> {
  const res = await fetch(`${inject('controlUrl')}/restart/${app}`, {
    method: 'POST',
    body: JSON.stringify({ env }),
  });
  if (!res.ok) throw new Error(`restart of ${app} failed: ${res.status} ${await res.text()}`);
}

export function refusedLines(): string[] {
  return apps.flatMap((a) => forbiddenLines(join(inject('logDir'), `${a}.log`)).map((l) => `${a}: ${l}`));
}
