import { randomBytes } from 'node:crypto';
import type { Condition } from '@image-registry/conditions';
import {
  KubeClient,
  Manager,
  createLogger,
  type Controller,
  type Logger,
} from '@image-registry/controller-runtime';
import { applyYaml, kubeRequest, KubeRequestError } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { expect } from 'vitest';
import type { DriverEnvironment } from '../src/drivers/factory.ts';
import type { ConfigObject } from '../src/resources.ts';
import { addStorageController } from '../src/storage.controller.ts';
import type { StorageReconciler } from '../src/storage.reconcile.ts';

export const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';
export const fieldManager = 'image-registry-operator/storage';
/** The admin, editing the Config by hand (kubectl apply --server-side). */
export const admin = 'kubectl';

export interface StorageApp {
  manager: Manager;
  /** The storage controller: `controller.stop({ graceMs: 0 })` is what losing the lease does. */
  controller: Controller;
  reconciler: StorageReconciler;
  stop(): Promise<void>;
}

export interface StorageAppOptions {
  namespace: string;
  infrastructureName: string;
  drivers?: Omit<DriverEnvironment, 'namespace' | 'claims'>;
  degradedAfterMs?: number;
  /** The app's environment (proxy variables, workload identity); default none of the test process's. */
  env?: Record<string, string | undefined>;
  useClusterProxy?: boolean;
  /** Wraps the client, to inject failures. */
  client?: KubeClient;
  /** How often a settled storage is checked again (the app's default: 10 minutes). */
  resyncMs?: number;
}

/** The storage app in this process: a manager without leader election or HTTP server. */
export async function startStorageApp(kc: KubeConfig, opts: StorageAppOptions): Promise<StorageApp> {
  const client = opts.client ?? new KubeClient({ kubeConfig: kc, fieldManager });
  const manager = new Manager({
    name: 'storage',
    client,
    leaderElection: false,
    shutdownTimeoutMs: 10_000,
    ...testLogger(),
  });
  const { controller, reconciler } = await addStorageController(manager, {
    namespace: opts.namespace,
    configNamespace: opts.namespace,
    infrastructureName: opts.infrastructureName,
    drivers: opts.drivers ?? {},
    degradedAfterMs: opts.degradedAfterMs ?? 10 * 60_000,
    env: opts.env ?? {},
    useClusterProxy: opts.useClusterProxy ?? false,
    ...(opts.resyncMs ? { resyncMs: opts.resyncMs } : {}),
  });
  await manager.start();
  return { manager, controller, reconciler, stop: async () => void (await manager.stop()) };
}

/** IRO_TEST_LOG=debug shows the app's logs while debugging a test. */
function testLogger(): { logger?: Logger } {
  const level = process.env['IRO_TEST_LOG'];
  return level ? { logger: createLogger({ level: level as 'debug', name: 'storage' }) } : {};
}

/** A short infrastructure name unique to one test, so buckets of different tests never collide. */
export function testInfrastructureName(): string {
  return `iro-${randomBytes(3).toString('hex')}`;
}

/** Config/cluster as an admin writes it (Managed unless said otherwise, one replica). */
export async function applyConfig(kc: KubeConfig, spec: Record<string, unknown>): Promise<void> {
  await applyYaml(
    kc,
    {
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      spec: { managementState: 'Managed', replicas: 1, ...spec },
    },
    { fieldManager: admin },
  );
}

/** A JSON merge patch of Config/cluster by the admin (kubectl patch --type merge). */
export async function patchConfig(kc: KubeConfig, patch: Record<string, unknown>): Promise<void> {
  await kubeRequest(
    kc,
    'PATCH',
    `${configPath}?fieldManager=kubectl-patch`,
    patch,
    'application/merge-patch+json',
  );
}

export async function getConfig(kc: KubeConfig): Promise<ConfigObject | undefined> {
  try {
    return await kubeRequest<ConfigObject>(kc, 'GET', configPath);
  } catch (err) {
    if (err instanceof KubeRequestError && err.status === 404) return undefined;
    throw err;
  }
}

/** Storage conditions without their times: `{ StorageExists: { status, reason, message } }`. */
export async function storageConditions(
  kc: KubeConfig,
): Promise<Record<string, Omit<Condition, 'lastTransitionTime' | 'type'>>> {
  const config = await getConfig(kc);
  return Object.fromEntries(
    (config?.status?.conditions ?? [])
      .filter((c) => c.type.startsWith('Storage'))
      .map(({ type, status, reason, message }) => [
        type,
        { status, reason: reason ?? '', message: message ?? '' },
      ]),
  );
}

/** Deletes Config/cluster, finalizers included, and waits until it is gone. */
export async function deleteConfig(kc: KubeConfig): Promise<void> {
  try {
    await kubeRequest(
      kc,
      'PATCH',
      configPath,
      { metadata: { finalizers: null } },
      'application/merge-patch+json',
    );
    await kubeRequest(kc, 'DELETE', configPath);
  } catch (err) {
    if (!(err instanceof KubeRequestError && err.status === 404)) throw err;
  }
  await expect.poll(() => getConfig(kc), { timeout: 30_000 }).toBeUndefined();
}

/** Creates or replaces an Opaque secret with these string values. */
export async function putSecret(
  kc: KubeConfig,
  namespace: string,
  name: string,
  values: Record<string, string>,
): Promise<void> {
  await applyYaml(
    kc,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace },
      type: 'Opaque',
      data: Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
    } as never,
    { fieldManager: admin },
  );
}

export async function deleteSecret(kc: KubeConfig, namespace: string, name: string): Promise<void> {
  await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${namespace}/secrets/${name}`);
}

/** The decoded data of a secret, or undefined when it does not exist. */
export async function readSecret(
  kc: KubeConfig,
  namespace: string,
  name: string,
): Promise<Record<string, string> | undefined> {
  try {
    const s = await kubeRequest<{ data?: Record<string, string> }>(
      kc,
      'GET',
      `/api/v1/namespaces/${namespace}/secrets/${name}`,
    );
    return Object.fromEntries(
      Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );
  } catch (err) {
    if (err instanceof KubeRequestError && err.status === 404) return undefined;
    throw err;
  }
}
