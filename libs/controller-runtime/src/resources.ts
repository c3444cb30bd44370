import type { KubeObject } from './objects.ts';

/**
 * A REST resource: everything needed to build its URL without discovery. `T` is the shape of its
 * objects, carried only in the type so calls through it are typed.
 */
export interface ResourceType<T extends KubeObject = KubeObject> {
  /** `v1` for the core group, `group/version` otherwise. */
  readonly apiVersion: string;
  readonly kind: string;
  /** The lower-case plural in the URL (`configmaps`). */
  readonly plural: string;
  readonly namespaced: boolean;
  /** Phantom: never set, only gives `T` a place in the type. */
  readonly __object?: T;
}

export function resource<T extends KubeObject = KubeObject>(def: {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}): ResourceType<T> {
  return Object.freeze({ ...def });
}

/** `apiVersion/kind`: one informer and one cache lookup per resource. */
export function resourceId(res: Pick<ResourceType, 'apiVersion' | 'kind'>): string {
  return `${res.apiVersion}/${res.kind}`;
}

/** The collection URL, optionally inside one namespace (all namespaces when omitted). */
export function collectionPath(res: ResourceType, namespace?: string): string {
  const base = res.apiVersion.includes('/') ? `/apis/${res.apiVersion}` : `/api/${res.apiVersion}`;
  if (res.namespaced && namespace) return `${base}/namespaces/${encodeURIComponent(namespace)}/${res.plural}`;
  return `${base}/${res.plural}`;
}

export function objectPath(res: ResourceType, name: string, namespace?: string, subresource?: string): string {
  if (res.namespaced && !namespace) {
    throw new TypeError(`${res.kind} ${name} is namespaced: pass its namespace`);
  }
  const path = `${collectionPath(res, namespace)}/${encodeURIComponent(name)}`;
  return subresource ? `${path}/${subresource}` : path;
}

/** Built-in resources the apps use, so each app does not repeat plurals and scopes. */
export const Resources = {
  Namespace: resource({ apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false }),
  Node: resource({ apiVersion: 'v1', kind: 'Node', plural: 'nodes', namespaced: false }),
  ConfigMap: resource({ apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true }),
  Secret: resource({ apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true }),
  ServiceAccount: resource({ apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true }),
  Service: resource({ apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true }),
  Pod: resource({ apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true }),
  PersistentVolumeClaim: resource({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    namespaced: true,
  }),
  Event: resource({ apiVersion: 'v1', kind: 'Event', plural: 'events', namespaced: true }),
  Deployment: resource({ apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true }),
  DaemonSet: resource({ apiVersion: 'apps/v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true }),
  Job: resource({ apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs', namespaced: true }),
  CronJob: resource({ apiVersion: 'batch/v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true }),
  PodDisruptionBudget: resource({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    namespaced: true,
  }),
  NetworkPolicy: resource({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    namespaced: true,
  }),
  Ingress: resource({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', plural: 'ingresses', namespaced: true }),
  ClusterRole: resource({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    plural: 'clusterroles',
    namespaced: false,
  }),
  ClusterRoleBinding: resource({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    namespaced: false,
  }),
  Role: resource({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', plural: 'roles', namespaced: true }),
  RoleBinding: resource({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
  }),
  Lease: resource({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', plural: 'leases', namespaced: true }),
  CustomResourceDefinition: resource({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
  }),
} as const;
