import type { KubeConfig } from '@kubernetes/client-node';
import { KubeClient, Manager, createLogger, fieldManagerFor } from '@image-registry/controller-runtime';
import { applyYaml, createTestNamespace, kubeRequest, KubeRequestError } from '@image-registry/testing';
import { expect } from 'vitest';
import { storageFieldManager } from '../src/render/names.ts';
import { setupWorkload, type WorkloadSetup } from '../src/workload.controller.ts';

export interface Json {
  [k: string]: unknown;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface ConfigObject {
  metadata: { name: string; uid: string; generation: number; resourceVersion: string; finalizers?: string[] };
  spec: Json & { managementState?: string; httpSecret?: string; replicas?: number };
  status?: { conditions?: Condition[]; observedGeneration?: number; readyReplicas?: number };
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

export interface DeploymentObject {
  metadata: { generation: number; resourceVersion: string; uid: string; annotations?: Record<string, string> };
  spec: {
    replicas: number;
    strategy: Json & { type: string };
    template: {
      metadata: { annotations?: Record<string, string> };
      spec: Json & {
        containers: (Json & { name: string; env: EnvVar[]; ports: Json[]; resources: Json })[];
        tolerations?: Json[];
        affinity?: Json;
      };
    };
  };
  status?: { readyReplicas?: number; availableReplicas?: number };
}

export const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';

export async function get<T = Json>(kc: KubeConfig, path: string): Promise<T | undefined> {
  try {
    return await kubeRequest<T>(kc, 'GET', path);
  } catch (err) {
    if (err instanceof KubeRequestError && err.status === 404) return undefined;
    throw err;
  }
}

export async function getConfig(kc: KubeConfig): Promise<ConfigObject | undefined> {
  return get<ConfigObject>(kc, configPath);
}

export function deploymentPath(ns: string): string {
  return `/apis/apps/v1/namespaces/${ns}/deployments/image-registry`;
}

export async function getDeployment(kc: KubeConfig, ns: string): Promise<DeploymentObject | undefined> {
  return get<DeploymentObject>(kc, deploymentPath(ns));
}

export function condition(config: ConfigObject | undefined, type: string): Condition | undefined {
  return config?.status?.conditions?.find((c) => c.type === type);
}

/** `type=status/reason` of the registry's own conditions, the way a test reads them best. */
export async function conditionSummary(kc: KubeConfig): Promise<Record<string, string>> {
  const config = await getConfig(kc);
  const out: Record<string, string> = {};
  for (const t of ['Available', 'Progressing', 'Degraded', 'Removed']) {
    const c = condition(config, t);
    out[t] = c ? `${c.status}/${c.reason ?? ''}` : 'missing';
  }
  return out;
}

export function envOf(d: DeploymentObject | undefined): Record<string, string | undefined> {
  return Object.fromEntries((d?.spec.template.spec.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
}

/** Creates Config/cluster as a user would (before the app starts, like upstream's DeployImageRegistry). */
export async function createConfig(kc: KubeConfig, spec: Json): Promise<ConfigObject> {
  return kubeRequest<ConfigObject>(kc, 'POST', '/apis/imageregistry.operator.openshift.io/v1/configs', {
    apiVersion: 'imageregistry.operator.openshift.io/v1',
    kind: 'Config',
    metadata: { name: 'cluster' },
    spec: { logLevel: 'Normal', operatorLogLevel: 'Normal', ...spec },
  });
}

/** A merge patch of the Config's spec, as `kubectl patch --type merge` does. */
export async function patchConfig(kc: KubeConfig, spec: Json): Promise<ConfigObject> {
  return kubeRequest<ConfigObject>(kc, 'PATCH', configPath, { spec }, 'application/merge-patch+json');
}

/**
 * Plays the storage app: `status.storage` and StorageExists, with its field manager, exactly as the
 * contract in ARCHITECTURE.md says the storage app writes them.
 */
export async function fakeStorage(
  kc: KubeConfig,
  storage: Json,
  exists: { status: 'True' | 'False' | 'Unknown'; reason?: string; message?: string } = { status: 'True', reason: 'Creation Successful' },
): Promise<void> {
  await applyYaml(
    kc,
    {
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      status: {
        storage,
        conditions: [{ type: 'StorageExists', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), ...exists }],
      },
    },
    { fieldManager: storageFieldManager, subresource: 'status' },
  );
}

/** Deletes Config/cluster (and the cluster-scoped RBAC it owns) and waits until it is gone. */
export async function deleteConfig(kc: KubeConfig): Promise<void> {
  const config = await getConfig(kc);
  if (config?.metadata.finalizers?.length) {
    await kubeRequest(kc, 'PATCH', configPath, { metadata: { finalizers: null } }, 'application/merge-patch+json');
  }
  try {
    await kubeRequest(kc, 'DELETE', configPath);
  } catch (err) {
    if (!(err instanceof KubeRequestError) || err.status !== 404) throw err;
  }
  await expect.poll(() => getConfig(kc), { timeout: 30_000 }).toBeUndefined();
  for (const path of [
    '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:registry',
    '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/registry-registry-role',
  ]) {
    await kubeRequest(kc, 'DELETE', path).catch(() => undefined);
  }
}

export async function deleteNamespace(kc: KubeConfig, ns: string): Promise<void> {
  await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${ns}`).catch(() => undefined);
}

export interface RunningWorkload {
  manager: Manager;
  /** Write requests (create, update, patch, apply, delete) this app has sent so far. */
  writes(): Promise<number>;
  stop(): Promise<void>;
}

/** Runs the app in this process against the test control plane, with `namespace` as operand namespace. */
export async function startWorkload(
  kc: KubeConfig,
  namespace: string,
  overrides: Partial<WorkloadSetup> = {},
  opts: { leaderElection?: boolean } = {},
): Promise<RunningWorkload> {
  const logger = createLogger({ level: (process.env['IRO_TEST_LOG_LEVEL'] as 'info' | undefined) ?? 'silent', name: 'registry-workload' });
  const client = new KubeClient({ kubeConfig: kc, fieldManager: fieldManagerFor('registry-workload'), logger });
  const registry = client.registry;
  const manager = new Manager({
    name: 'registry-workload',
    client,
    logger,
    leaderElection: opts.leaderElection ? { namespace } : false,
  });
  setupWorkload(manager, {
    namespace,
    flavour: 'distribution',
    image: 'registry.example.com/registry:test',
    servingCert: 'self-signed',
    hasInfrastructure: true,
    hasProxy: true,
    ...overrides,
  });
  await manager.start();
  return {
    manager,
    async writes() {
      const metric = await registry.getSingleMetric('rest_client_requests_total')?.get();
      return (metric?.values ?? [])
        .filter((v) => ['create', 'update', 'patch', 'apply', 'delete'].includes(String(v.labels['verb'])))
        .reduce((sum, v) => sum + v.value, 0);
    },
    stop: async () => {
      await manager.stop();
    },
  };
}

export interface Fixture {
  readonly kc: KubeConfig;
  /** This test's operand namespace. */
  readonly ns: string;
  /** Creates a Managed Config with `spec`, plays the storage app for emptyDir, starts the app. */
  managed(spec?: Json, setup?: Partial<WorkloadSetup>): Promise<RunningWorkload>;
  start(setup?: Partial<WorkloadSetup>): Promise<RunningWorkload>;
}

/**
 * Per-test isolation for files that share one control plane: a fresh operand namespace, no
 * Config/cluster before the test, and the app stopped and everything removed after it.
 */
export function useWorkloadFixture(hooks: { beforeEach(fn: () => Promise<void>): void; afterEach(fn: () => Promise<void>): void }, kc: KubeConfig): Fixture {
  let ns = '';
  let app: RunningWorkload | undefined;
  hooks.beforeEach(async () => {
    await deleteConfig(kc);
    ns = await createTestNamespace(kc, 'rw');
  });
  hooks.afterEach(async () => {
    await app?.stop();
    app = undefined;
    await deleteConfig(kc);
    await deleteNamespace(kc, ns);
  });
  const fixture: Fixture = {
    kc,
    get ns() {
      return ns;
    },
    async start(setup = {}) {
      app = await startWorkload(kc, ns, setup);
      return app;
    },
    async managed(spec = {}, setup = {}) {
      await createConfig(kc, { managementState: 'Managed', replicas: 1, storage: { emptyDir: {} }, ...spec });
      await fakeStorage(kc, { emptyDir: {}, managementState: 'Managed' });
      return fixture.start(setup);
    },
  };
  return fixture;
}

/** Waits until the registry reports Available Ready and Progressing False, as upstream's "available" helper. */
export async function waitAvailable(kc: KubeConfig, timeout = 60_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const c = await getConfig(kc);
        const fresh = (c?.status?.observedGeneration ?? -1) >= (c?.metadata.generation ?? 0);
        return `${fresh ? 'current' : 'stale'} ${condition(c, 'Available')?.status}/${condition(c, 'Progressing')?.status}/${condition(c, 'Degraded')?.status}`;
      },
      { timeout },
    )
    .toBe('current True/False/False');
}
