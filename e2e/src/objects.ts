// Typed reads of the objects upstream's e2e tests inspect, and the parts of an OpenShift cluster that have
// no process here (the router admitting Routes, the network operator publishing the cluster Proxy).
import { applyYaml, kubeRequest } from '@image-registry/testing';
import { deploymentPath, get, kc, kubectl, namespace } from './helpers.ts';

export interface EnvVar {
  name: string;
  value?: string;
}
export interface RegistryDeployment {
  metadata: { annotations?: Record<string, string> };
  spec: {
    template: {
      spec: {
        affinity?: unknown;
        containers: { name: string; env?: EnvVar[] }[];
      };
    };
  };
}
export interface Route {
  metadata: { name: string };
  spec: { host?: string; tls?: { termination?: string; certificate?: string; key?: string } };
  status?: { ingress?: { host?: string }[] };
}
export interface ImageConfig {
  status?: { internalRegistryHostname?: string; externalRegistryHostnames?: string[] };
}

export const registryDeployment = () => get<RegistryDeployment>(deploymentPath());

/**
 * A container's env in the registry pod as name → value (upstream reads Containers[0]; ours are named:
 * `registry`, and `registry-auth`, the distribution flavour's TLS front).
 */
export async function registryEnv(container = 'registry'): Promise<Record<string, string | undefined>> {
  const c = (await registryDeployment())?.spec.template.spec.containers.find((x) => x.name === container);
  return Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value]));
}

export const imageConfig = () => get<ImageConfig>('/apis/config.openshift.io/v1/images/cluster');

export const routesPath = `/apis/route.openshift.io/v1/namespaces/${namespace}/routes`;
export async function routes(): Promise<Route[]> {
  return (await kubeRequest<{ items: Route[] }>(kc, 'GET', routesPath)).items;
}

/** The seed documents' `kubectl patch configs.imageregistry.operator.openshift.io cluster --type merge -p …`. */
export const patchConfig = (json: string) =>
  kubectl('patch', 'configs.imageregistry.operator.openshift.io', 'cluster', '--type', 'merge', '-p', json);

/**
 * What OpenShift's router does for every Route of the namespace: admits it under its host (status.ingress).
 * No router runs here, and the routes app publishes only hosts a router admitted. Call until it returns
 * the hosts wanted; each call admits what is new.
 */
export async function admitRoutes(): Promise<string[]> {
  const hosts: string[] = [];
  for (const r of await routes()) {
    const host = r.spec.host ?? '';
    if (!host) continue;
    hosts.push(host);
    if ((r.status?.ingress ?? []).some((i) => i.host === host)) continue;
    await applyYaml(
      kc,
      {
        apiVersion: 'route.openshift.io/v1',
        kind: 'Route',
        metadata: { name: r.metadata.name, namespace },
        status: {
          ingress: [
            {
              host,
              routerName: 'default',
              wildcardPolicy: 'None',
              conditions: [
                {
                  type: 'Admitted',
                  status: 'True',
                  lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
                },
              ],
            },
          ],
        },
      },
      { fieldManager: 'openshift-router', subresource: 'status' },
    );
  }
  return hosts.sort();
}

/** The apps domain of `ingresses.config.openshift.io/cluster`, which every OpenShift cluster has. */
export const appsDomain = 'apps.e2e.test';
export async function ensureIngressConfig(): Promise<void> {
  await applyYaml(
    kc,
    {
      apiVersion: 'config.openshift.io/v1',
      kind: 'Ingress',
      metadata: { name: 'cluster' },
      spec: { domain: appsDomain },
    },
    { fieldManager: 'e2e' },
  );
}

export interface ProxySpec {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

/**
 * Upstream's SetClusterProxyConfig patches the cluster Proxy's spec; OpenShift's network operator then
 * publishes it in status, which is what the registry reads. No network operator runs here: the test
 * writes both.
 */
export async function setClusterProxy(p: ProxySpec): Promise<void> {
  const proxy = { apiVersion: 'config.openshift.io/v1', kind: 'Proxy', metadata: { name: 'cluster' } };
  await applyYaml(kc, { ...proxy, spec: p }, { fieldManager: 'e2e' });
  await applyYaml(
    kc,
    { ...proxy, status: p },
    { fieldManager: 'cluster-network-operator', subresource: 'status' },
  );
}
