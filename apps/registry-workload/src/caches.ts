import type { Informer, KubeObject, Request } from '@image-registry/controller-runtime';

/** The informer caches the workload reconcile reads; nothing else is read from the API. */
export interface WorkloadCaches {
  config: Informer<KubeObject>;
  deployment: Informer<KubeObject>;
  service: Informer<KubeObject>;
  serviceAccount: Informer<KubeObject>;
  clusterRole: Informer<KubeObject>;
  clusterRoleBinding: Informer<KubeObject>;
  podDisruptionBudget: Informer<KubeObject>;
  networkPolicy: Informer<KubeObject>;
  /** Secrets and ConfigMaps of the operand namespace. */
  secrets: Informer<KubeObject>;
  configMaps: Informer<KubeObject>;
  /** The operand namespace itself (its OpenShift SCC annotations). */
  namespace: Informer<KubeObject>;
  /** Nodes, trimmed to labels and providerID. */
  nodes: Informer<KubeObject>;
  /** Absent where the API does not exist (plain Kubernetes). */
  infrastructure?: Informer<KubeObject> | undefined;
  proxy?: Informer<KubeObject> | undefined;
  apiServer?: Informer<KubeObject> | undefined;
}

export function cached<T extends KubeObject = KubeObject>(inf: Informer<KubeObject> | undefined, key: Request): T | undefined {
  return inf?.get(key) as T | undefined;
}
