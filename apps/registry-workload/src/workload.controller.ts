import { Resources, type Controller, type KubeObject, type Manager, type Predicate } from '@image-registry/controller-runtime';
import type { WorkloadCaches } from './caches.ts';
import { observeWorkload } from './observability.ts';
import {
  clusterRoleBindingName,
  clusterRoleName,
  configName,
  networkPolicyName,
  registryName,
  serviceAccountName,
} from './render/names.ts';
import { zoneLabel } from './render/topology.ts';
import { APIServerResource, ConfigResource, InfrastructureResource, ProxyResource } from './resources.ts';
import type { WorkloadOptions } from './workload-context.ts';
import { workloadReconciler } from './workload.reconcile.ts';

interface NodeView extends KubeObject {
  spec?: { providerID?: string };
}

/** Nodes are large and heartbeat often; the reconcile reads only the zone label and providerID. */
function trimNode(node: NodeView): NodeView {
  const zone = node.metadata?.labels?.[zoneLabel];
  return {
    apiVersion: node.apiVersion,
    kind: node.kind,
    metadata: {
      name: node.metadata?.name,
      resourceVersion: node.metadata?.resourceVersion,
      ...(zone !== undefined ? { labels: { [zoneLabel]: zone } } : {}),
    },
    spec: { providerID: node.spec?.providerID ?? '' },
  };
}

const nodeFactsChanged: Predicate<KubeObject> = (ev) =>
  ev.type !== 'update' ||
  ev.old?.metadata?.labels?.[zoneLabel] !== ev.obj.metadata?.labels?.[zoneLabel] ||
  (ev.old as NodeView | undefined)?.spec?.providerID !== (ev.obj as NodeView).spec?.providerID;

export interface WorkloadSetup extends WorkloadOptions {
  /** Whether the cluster serves Infrastructure and Proxy (config.openshift.io); read only where it does. */
  hasInfrastructure: boolean;
  hasProxy: boolean;
  /** Whether apiservers.config.openshift.io is served; without it the TLS profile is Intermediate. */
  hasAPIServer?: boolean;
}

/** The informers the reconcile reads, scoped to the objects it needs. */
export function workloadCaches(mgr: Manager, opts: WorkloadSetup): WorkloadCaches {
  const ns = opts.namespace;
  const byName = (name: string) => ({ fieldSelector: `metadata.name=${name}` });
  return {
    config: mgr.informer(ConfigResource, byName(configName)),
    deployment: mgr.informer(Resources.Deployment, { namespace: ns, ...byName(registryName) }),
    service: mgr.informer(Resources.Service, { namespace: ns, ...byName(registryName) }),
    serviceAccount: mgr.informer(Resources.ServiceAccount, { namespace: ns, ...byName(serviceAccountName) }),
    clusterRole: mgr.informer(Resources.ClusterRole, byName(clusterRoleName)),
    clusterRoleBinding: mgr.informer(Resources.ClusterRoleBinding, byName(clusterRoleBindingName)),
    podDisruptionBudget: mgr.informer(Resources.PodDisruptionBudget, { namespace: ns, ...byName(registryName) }),
    networkPolicy: mgr.informer(Resources.NetworkPolicy, { namespace: ns, ...byName(networkPolicyName) }),
    secrets: mgr.informer(Resources.Secret, { namespace: ns }),
    configMaps: mgr.informer(Resources.ConfigMap, { namespace: ns }),
    namespace: mgr.informer(Resources.Namespace, byName(ns)),
    nodes: mgr.informer(Resources.Node, { transform: trimNode }),
    infrastructure: opts.hasInfrastructure ? mgr.informer(InfrastructureResource, byName('cluster')) : undefined,
    proxy: opts.hasProxy ? mgr.informer(ProxyResource, byName('cluster')) : undefined,
    apiServer: opts.hasAPIServer ? mgr.informer(APIServerResource, byName('cluster')) : undefined,
  };
}

/**
 * The one controller of this app. Everything it reads maps to the single key `cluster`: the
 * registry is one object graph, converged as a whole, like upstream's single `changes` key.
 */
export function setupWorkload(mgr: Manager, opts: WorkloadSetup): Controller {
  const caches = workloadCaches(mgr, opts);
  const controller = mgr.controller({ name: 'registry-workload', reconcile: workloadReconciler(mgr.client, caches, opts) });
  observeWorkload(mgr, caches, opts.namespace);
  const key = () => ({ name: configName });
  for (const [name, informer] of Object.entries(caches) as [keyof WorkloadCaches, WorkloadCaches[keyof WorkloadCaches]][]) {
    if (!informer) continue;
    if (name === 'nodes') controller.watches(informer, key, { predicate: nodeFactsChanged });
    else controller.watches(informer, key);
  }
  return controller;
}
