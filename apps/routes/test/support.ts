import { KubeClient, Manager } from '@image-registry/controller-runtime';
import { applyYaml, kubeRequest, KubeRequestError } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import type { BackendKind } from '../src/api-discovery.ts';
import { setupRoutesApp } from '../src/app.ts';
import type { ImageObject } from '../src/resources.ts';

export const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';
export const imagePath = '/apis/config.openshift.io/v1/images/cluster';
export const ingressConfigPath = '/apis/config.openshift.io/v1/ingresses/cluster';
export const adminManager = 'cluster-admin';
export const fieldManager = 'image-registry-operator/routes';

export const routesPath = (ns: string, name = '') => `/apis/route.openshift.io/v1/namespaces/${ns}/routes${name ? `/${name}` : ''}`;
export const ingressesPath = (ns: string, name = '') =>
  `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses${name ? `/${name}` : ''}`;

export interface RunningApp {
  manager: Manager;
  registry: Manager['registry'];
  stop(): Promise<void>;
}

/** The routes app in this process: a manager without leader election or HTTP server. */
export async function startRoutesApp(
  kc: KubeConfig,
  opts: {
    namespace: string;
    backend: BackendKind;
    domain?: string;
    ingressClassName?: string;
    annotations?: Record<string, string>;
    imageConfigInertiaMs?: number;
  },
): Promise<RunningApp> {
  const client = new KubeClient({ kubeConfig: kc, fieldManager });
  const manager = new Manager({ name: 'routes', client, leaderElection: false, shutdownTimeoutMs: 10_000 });
  setupRoutesApp(manager, {
    namespace: opts.namespace,
    backend: opts.backend,
    domain: opts.domain ?? '',
    ingressClassName: opts.ingressClassName ?? '',
    annotations: opts.annotations ?? {},
    ...(opts.imageConfigInertiaMs !== undefined ? { imageConfigInertiaMs: opts.imageConfigInertiaMs } : {}),
  });
  await manager.start();
  return { manager, registry: manager.registry, stop: async () => void (await manager.stop()) };
}

/** Config/cluster with this spec, as a cluster admin applies it (server-side, own field manager). */
export async function applyConfig(kc: KubeConfig, spec: Record<string, unknown>): Promise<void> {
  await applyYaml(
    kc,
    {
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      spec: { managementState: 'Managed', replicas: 1, storage: { emptyDir: {} }, ...spec },
    },
    { fieldManager: adminManager },
  );
}

/** The registry Service as registry-workload renders it (port 5000). */
export async function createRegistryService(kc: KubeConfig, namespace: string, extra: Record<string, unknown> = {}): Promise<void> {
  await applyYaml(
    kc,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'image-registry', namespace, ...extra },
      spec: { ports: [{ name: '5000-tcp', port: 5000, protocol: 'TCP', targetPort: 5000 }] },
    },
    { fieldManager: 'image-registry-operator/registry-workload' },
  );
}

export async function createTlsSecret(
  kc: KubeConfig,
  namespace: string,
  name: string,
  data: Record<string, string>,
): Promise<void> {
  const b64 = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  await kubeRequest(kc, 'POST', `/api/v1/namespaces/${namespace}/secrets`, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name },
    data: b64,
  });
}

export async function getOrUndefined<T>(kc: KubeConfig, path: string): Promise<T | undefined> {
  try {
    return await kubeRequest<T>(kc, 'GET', path);
  } catch (err) {
    if (err instanceof KubeRequestError && err.status === 404) return undefined;
    throw err;
  }
}

export async function imageStatus(kc: KubeConfig): Promise<ImageObject['status']> {
  return (await getOrUndefined<ImageObject>(kc, imagePath))?.status;
}

interface ConditionLike {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export async function configCondition(kc: KubeConfig, type: string): Promise<ConditionLike | undefined> {
  const config = await getOrUndefined<{ status?: { conditions?: ConditionLike[] } }>(kc, configPath);
  const c = config?.status?.conditions?.find((x) => x.type === type);
  return c ? { type: c.type, status: c.status, reason: c.reason ?? '', message: c.message ?? '' } : undefined;
}

export async function listNames(kc: KubeConfig, path: string): Promise<string[]> {
  const list = await kubeRequest<{ items: { metadata: { name: string } }[] }>(kc, 'GET', path);
  return list.items.map((i) => i.metadata.name).sort();
}

/** Deletes Config/cluster (finalizers too), Image/cluster and Ingress/cluster, and waits until they are gone. */
export async function deleteSingletons(kc: KubeConfig): Promise<void> {
  for (const path of [configPath, imagePath, ingressConfigPath]) {
    try {
      await kubeRequest(kc, 'PATCH', path, { metadata: { finalizers: null } }, 'application/merge-patch+json');
      await kubeRequest(kc, 'DELETE', path);
    } catch (err) {
      if (!(err instanceof KubeRequestError) || err.status !== 404) throw err;
    }
    for (let i = 0; i < 300 && (await getOrUndefined(kc, path)); i++) await new Promise((r) => setTimeout(r, 100));
  }
}

/** What OpenShift's router writes on a Route it considered. */
export async function admitRoute(
  kc: KubeConfig,
  namespace: string,
  name: string,
  host: string,
  admitted: { status: 'True' | 'False'; message?: string } = { status: 'True' },
): Promise<void> {
  await applyYaml(
    kc,
    {
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: { name, namespace },
      status: {
        ingress: [
          {
            host,
            routerName: 'default',
            wildcardPolicy: 'None',
            conditions: [
              {
                type: 'Admitted',
                status: admitted.status,
                lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
                ...(admitted.status === 'False' ? { reason: 'HostAlreadyClaimed', message: admitted.message ?? '' } : {}),
              },
            ],
          },
        ],
      },
    },
    { fieldManager: 'openshift-router', subresource: 'status' },
  );
}

/** What an ingress controller writes on an Ingress it serves. */
export async function reportIngressAddress(kc: KubeConfig, namespace: string, name: string): Promise<void> {
  await applyYaml(
    kc,
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace },
      status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } },
    },
    { fieldManager: 'ingress-controller', subresource: 'status' },
  );
}
