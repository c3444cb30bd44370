import { createLogger, KubeClient, Manager } from '@image-registry/controller-runtime';
import { applyYaml, createTestNamespace, kubeRequest, KubeRequestError } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { testKubeConfig } from '@image-registry/testing';
import { setupCertificatesController } from '../src/certificates.controller.ts';
import { ConfigConditions } from '../src/config-conditions.ts';
import { setupNodeCAController } from '../src/node-ca.controller.ts';
import { ConfigResource, names, type ConfigMapObject } from '../src/resources.ts';

export const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';
export const imagePath = '/apis/config.openshift.io/v1/images/cluster';
export const adminManager = 'cluster-admin';

/** The namespaces one test's app uses: operand, user config (openshift-config) and published CA. */
export interface TestNamespaces {
  namespace: string;
  configNamespace: string;
  publishedNamespace: string;
}

export async function createNamespaces(kc: KubeConfig): Promise<TestNamespaces> {
  return {
    namespace: await createTestNamespace(kc, 'nodeca'),
    configNamespace: await createTestNamespace(kc, 'nodeca-config'),
    publishedNamespace: await createTestNamespace(kc, 'nodeca-managed'),
  };
}

/** Both node-ca controllers in this process: a manager without leader election or HTTP server. */
export async function startNodeCAApp(
  kc: KubeConfig,
  ns: TestNamespaces,
  opts: { hostMappings?: boolean; publishedNamespaceInUse?: boolean } = {},
): Promise<{ manager: Manager; registry: Registry }> {
  const registry = new Registry();
  // NODE_CA_TEST_LOG=debug shows the app's own logs while a test runs.
  const logger = process.env['NODE_CA_TEST_LOG'] ? createLogger({ level: 'debug', name: 'node-ca' }) : undefined;
  const client = new KubeClient({ kubeConfig: kc, fieldManager: 'image-registry-operator/node-ca', registry, ...(logger ? { logger } : {}) });
  const manager = new Manager({ name: 'node-ca', client, leaderElection: false, shutdownTimeoutMs: 10_000, ...(logger ? { logger } : {}) });
  const configs = manager.informer(ConfigResource, { fieldSelector: `metadata.name=${names.config}` });
  const conditions = new ConfigConditions(client, configs);
  setupCertificatesController(manager, { ...ns, publish: 'auto', publishedNamespaceInUse: opts.publishedNamespaceInUse ?? true, configs, conditions });
  setupNodeCAController(manager, {
    namespace: ns.namespace,
    image: 'image-registry-operator/node-ca:test',
    hostMappings: opts.hostMappings ?? true,
    privileged: false,
    configs,
    conditions,
  });
  await manager.start();
  return { manager, registry };
}

export async function get<T>(kc: KubeConfig, path: string): Promise<T | undefined> {
  try {
    return await kubeRequest<T>(kc, 'GET', path);
  } catch (err) {
    if (err instanceof KubeRequestError && err.status === 404) return undefined;
    throw err;
  }
}

export const configMapPath = (namespace: string, name: string) => `/api/v1/namespaces/${namespace}/configmaps/${name}`;

export async function configMapData(kc: KubeConfig, namespace: string, name: string): Promise<Record<string, string> | undefined> {
  return (await get<ConfigMapObject>(kc, configMapPath(namespace, name)))?.data;
}

export async function applyConfigMap(kc: KubeConfig, namespace: string, name: string, data: Record<string, string>): Promise<void> {
  await applyYaml(kc, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data }, { fieldManager: adminManager });
}

/** The registry Service as registry-workload creates it (port 5000); returns its ClusterIP. */
export async function createRegistryService(kc: KubeConfig, namespace: string): Promise<string> {
  await applyYaml(
    kc,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'image-registry', namespace },
      spec: { selector: { 'docker-registry': 'default' }, ports: [{ name: '5000-tcp', port: 5000, targetPort: 5000 }] },
    },
    { fieldManager: 'image-registry-operator/registry-workload' },
  );
  const svc = await get<{ spec: { clusterIP: string } }>(kc, `/api/v1/namespaces/${namespace}/services/image-registry`);
  return svc?.spec.clusterIP ?? '';
}

/** Config/cluster as an admin writes it, with status.storage as the storage app publishes it. */
export async function createConfig(kc: KubeConfig, spec: Record<string, unknown>): Promise<void> {
  await applyYaml(
    kc,
    { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, spec: { replicas: 1, ...spec } },
    { fieldManager: adminManager },
  );
  await applyYaml(
    kc,
    { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', metadata: { name: 'cluster' }, status: { storage: spec['storage'] ?? { emptyDir: {} }, storageManaged: false } },
    { fieldManager: 'image-registry-operator/storage', subresource: 'status' },
  );
}

export async function setImageConfig(kc: KubeConfig, spec: Record<string, unknown>): Promise<void> {
  await applyYaml(kc, { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec }, { fieldManager: adminManager });
}

/** This app's conditions on Config/cluster, without times. */
export async function nodeCAConditions(kc: KubeConfig): Promise<Record<string, { status: string; reason?: string; message?: string }>> {
  const config = await get<{ status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } }>(kc, configPath);
  const out: Record<string, { status: string; reason?: string; message?: string }> = {};
  for (const c of config?.status?.conditions ?? []) {
    if (!/^(NodeCA|ImageRegistryCertificates)/.test(c.type)) continue;
    out[c.type] = { status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) };
  }
  return out;
}

/** Removes Config/cluster and Image/cluster (finalizers included) and waits until they are gone. */
export async function deleteSingletons(kc: KubeConfig): Promise<void> {
  for (const path of [configPath, imagePath]) {
    try {
      await kubeRequest(kc, 'PATCH', path, { metadata: { finalizers: null } }, 'application/merge-patch+json');
      await kubeRequest(kc, 'DELETE', path);
    } catch (err) {
      if (!(err instanceof KubeRequestError && err.status === 404)) throw err;
    }
  }
  await expect
    .poll(async () => (await Promise.all([configPath, imagePath].map((p) => get(kc, p)))).every((o) => o === undefined), { timeout: 30_000 })
    .toBe(true);
}

/** What one integration test works with: the admin kubeconfig, its namespaces, the app it started. */
export interface NodeCATest {
  kc: KubeConfig;
  ns: TestNamespaces;
  app: { manager: Manager; registry: Registry } | undefined;
}

/**
 * Registers the hooks every integration file here shares: singletons removed before and after each
 * test, fresh namespaces per test, the app stopped after it. Read the fields inside tests only.
 */
export function useNodeCATest(): NodeCATest {
  const t = {} as NodeCATest;
  beforeAll(() => {
    t.kc = testKubeConfig();
  });
  beforeEach(async () => {
    await deleteSingletons(t.kc);
    t.ns = await createNamespaces(t.kc);
  });
  afterEach(async () => {
    await t.app?.manager.stop();
    t.app = undefined;
    await deleteSingletons(t.kc);
  });
  return t;
}
