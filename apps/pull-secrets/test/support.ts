import { dirname, join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { KubeClient, Manager, fieldManagerFor, silentLogger, type ReconcileContext } from '@image-registry/controller-runtime';
import { applyYaml, kubeRequest, KubeRequestError, testKubeconfigPath } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { setupPullSecrets, type PullSecretsApp, type PullSecretsOptions } from '../src/pull-secrets.controller.ts';
import { readTokenClaims, type TokenClaims } from '../src/render/jwt.ts';

export const operandNamespace = 'openshift-image-registry';
export const managedSelector = 'imageregistry.operator.openshift.io/pull-secrets=managed';
export const refAnnotation = 'openshift.io/internal-registry-pull-secret-ref';

export interface SA {
  metadata: { name: string; namespace: string; uid: string; resourceVersion: string; annotations?: Record<string, string> };
  imagePullSecrets?: { name: string }[];
}
export interface Secret {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid: string }[];
  };
  type: string;
  data?: Record<string, string>;
}

export const defaults: Omit<PullSecretsOptions, 'now'> = {
  namespace: operandNamespace,
  imageApi: true,
  configApi: true,
  ignoredNamespaces: [],
  ignoreSystemNamespaces: false,
  additionalRegistryHosts: [],
  managementState: 'Managed',
  concurrency: 8,
  qps: 0,
  burst: 1,
  resyncPeriodMs: 0,
  removalMinAgeMs: 600_000,
};

export interface RunningApp {
  app: PullSecretsApp;
  manager: Manager;
  registry: Registry;
  /** Write requests this app sent so far (create, update, patch, apply, delete). */
  writes(): Promise<number>;
  reconciles(controller: string): Promise<number>;
  stop(): Promise<void>;
}

/** The app in this process: a manager without leader election or HTTP server. */
export async function startApp(kc: KubeConfig, opts: Partial<PullSecretsOptions> = {}): Promise<RunningApp> {
  const registry = new Registry();
  const client = new KubeClient({ kubeConfig: kc, fieldManager: fieldManagerFor('pull-secrets'), registry });
  const manager = new Manager({ name: 'pull-secrets', client, leaderElection: false, shutdownTimeoutMs: 10_000 });
  const app = setupPullSecrets(manager, { ...defaults, ...opts });
  await manager.start();
  const sum = async (metric: string, match: (labels: Partial<Record<string, string | number>>) => boolean) => {
    const m = await registry.getSingleMetric(metric)?.get();
    return (m?.values ?? []).filter((v) => match(v.labels)).reduce((a, v) => a + v.value, 0);
  };
  return {
    app,
    manager,
    registry,
    writes: () => sum('rest_client_requests_total', (l) => ['create', 'update', 'patch', 'apply', 'delete'].includes(String(l['verb']))),
    reconciles: (controller) => sum('controller_runtime_reconcile_total', (l) => l['controller'] === controller),
    stop: async () => {
      await manager.stop();
    },
  };
}

/** A context for calling a reconciler directly. */
export function reconcileContext(): ReconcileContext {
  return { signal: new AbortController().signal, log: silentLogger(), reconcileID: randomUUID() };
}

export async function getOrUndefined<T>(kc: KubeConfig, path: string): Promise<T | undefined> {
  try {
    return await kubeRequest<T>(kc, 'GET', path);
  } catch (err) {
    if (err instanceof KubeRequestError && err.status === 404) return undefined;
    throw err;
  }
}

export const saPath = (ns: string, name: string) => `/api/v1/namespaces/${ns}/serviceaccounts/${name}`;
export const secretPath = (ns: string, name: string) => `/api/v1/namespaces/${ns}/secrets/${name}`;

export async function createServiceAccount(kc: KubeConfig, ns: string, name: string, imagePullSecrets?: string[]): Promise<SA> {
  return kubeRequest<SA>(kc, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name },
    ...(imagePullSecrets ? { imagePullSecrets: imagePullSecrets.map((n) => ({ name: n })) } : {}),
  });
}

export async function managedSecrets(kc: KubeConfig, ns?: string): Promise<Secret[]> {
  const base = ns ? `/api/v1/namespaces/${ns}/secrets` : '/api/v1/secrets';
  const list = await kubeRequest<{ items: Secret[] }>(kc, 'GET', `${base}?labelSelector=${encodeURIComponent(managedSelector)}`);
  return list.items;
}

/** The SA's managed secret once it carries a token for every host: the SA, the secret and its entries. */
export async function injected(kc: KubeConfig, ns: string, name: string): Promise<{ sa: SA; secret: Secret; cfg: Record<string, { auth: string }> } | undefined> {
  const sa = await getOrUndefined<SA>(kc, saPath(ns, name));
  const ref = sa?.metadata.annotations?.[refAnnotation];
  if (!sa || !ref || !(sa.imagePullSecrets ?? []).some((r) => r.name === ref)) return undefined;
  const secret = await getOrUndefined<Secret>(kc, secretPath(ns, ref));
  const raw = secret?.data?.['.dockercfg'];
  if (!secret || !raw) return undefined;
  const cfg = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as Record<string, { auth: string }>;
  if (Object.keys(cfg).length === 0) return undefined;
  return { sa, secret, cfg };
}

/** The bound token of a `.dockercfg` entry. */
export function tokenOf(entry: { auth: string } | undefined): string {
  const decoded = Buffer.from(entry?.auth ?? '', 'base64').toString('utf8');
  if (!decoded.startsWith('<token>:')) throw new Error('the entry is not a <token> credential');
  return decoded.slice('<token>:'.length);
}

export function claimsOf(entry: { auth: string } | undefined): TokenClaims {
  const claims = readTokenClaims(tokenOf(entry));
  if (!claims) throw new Error('the entry holds no JWT');
  return claims;
}

/** The registry Service registry-workload would own: only its name, ClusterIP and port matter here. */
export async function ensureRegistryService(kc: KubeConfig): Promise<{ clusterIP: string }> {
  await applyYaml(kc, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: operandNamespace } }, { fieldManager: 'test' });
  await applyYaml(
    kc,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'image-registry', namespace: operandNamespace },
      spec: { selector: { 'docker-registry': 'default' }, ports: [{ name: '5000-tcp', port: 5000, targetPort: 5000 }] },
    },
    { fieldManager: 'test' },
  );
  const svc = await kubeRequest<{ spec: { clusterIP: string } }>(kc, 'GET', `/api/v1/namespaces/${operandNamespace}/services/image-registry`);
  return { clusterIP: svc.spec.clusterIP };
}

export function registryHostsFor(clusterIP: string): string[] {
  return [
    `${clusterIP}:5000`,
    `image-registry.${operandNamespace}.svc.cluster.local:5000`,
    `image-registry.${operandNamespace}.svc:5000`,
  ].sort();
}

/** The control plane's ServiceAccount signing public key, where the run folder has it (not under k3s). */
export function signingPublicKey(): string | undefined {
  const path = join(dirname(testKubeconfigPath()), 'sa.pub');
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** OpenShift's signing-key Secret, so the app reads key IDs instead of probing with a token. */
export async function publishSigningKey(kc: KubeConfig, pem: string): Promise<void> {
  await applyYaml(kc, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'openshift-kube-apiserver' } }, { fieldManager: 'test' });
  await applyYaml(
    kc,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'bound-service-account-signing-key', namespace: 'openshift-kube-apiserver' },
      data: { 'service-account.pub': Buffer.from(pem).toString('base64') },
    },
    { fieldManager: 'test' },
  );
}

export async function tokenReview(kc: KubeConfig, token: string): Promise<{ authenticated?: boolean; user?: { username?: string }; error?: string }> {
  const r = await kubeRequest<{ status: { authenticated?: boolean; user?: { username?: string }; error?: string } }>(
    kc,
    'POST',
    '/apis/authentication.k8s.io/v1/tokenreviews',
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
  );
  return r.status;
}

export async function deleteNamespace(kc: KubeConfig, ns: string): Promise<void> {
  await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${ns}`).catch(() => undefined);
}

/** Config/cluster with the given managementState, as registry-workload bootstraps it. */
export async function applyConfig(kc: KubeConfig, managementState: string): Promise<void> {
  await applyYaml(
    kc,
    {
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      spec: { managementState, replicas: 1, storage: { emptyDir: {} } },
    },
    { fieldManager: 'cluster-admin' },
  );
}

export async function deleteConfig(kc: KubeConfig): Promise<void> {
  const path = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';
  await kubeRequest(kc, 'PATCH', path, { metadata: { finalizers: null } }, 'application/merge-patch+json').catch(() => undefined);
  await kubeRequest(kc, 'DELETE', path).catch(() => undefined);
}
