import { Resources, type Controller, type Informer, type Manager } from '@image-registry/controller-runtime';
import type { ConfigConditions } from './config-conditions.ts';
import { NodeCAReconciler } from './node-ca.reconcile.ts';
import { ConfigMapResource, DaemonSetResource, names, ServiceAccountResource, ServiceResource, type ConfigObject } from './resources.ts';

export interface NodeCAControllerOptions {
  namespace: string;
  image: string;
  hostMappings: boolean;
  privileged: boolean;
  configs: Informer<ConfigObject>;
  conditions: ConfigConditions;
}

const key = { name: names.daemonSet };
const byName = (name: string) => ({ fieldSelector: `metadata.name=${name}` });

/**
 * Watches DaemonSet node-ca (its status feeds the conditions; edits are repaired), ConfigMap
 * node-ca-hosts and ServiceAccount node-ca (repaired too), the registry Service (its ClusterIP goes to the nodes) and
 * Config/cluster (the conditions are written once it exists).
 */
export function setupNodeCAController(mgr: Manager, opts: NodeCAControllerOptions): { controller: Controller; reconciler: NodeCAReconciler } {
  const daemonSets = mgr.informer(DaemonSetResource, { namespace: opts.namespace, ...byName(names.daemonSet) });
  const services = mgr.informer(ServiceResource, { namespace: opts.namespace, ...byName(names.service) });
  const hosts = mgr.informer(ConfigMapResource, { namespace: opts.namespace, ...byName(names.hosts) });
  const accounts = mgr.informer(ServiceAccountResource, { namespace: opts.namespace, ...byName(names.serviceAccount) });
  // The operand namespace always exists, and a starting controller queues every cached object: so the
  // DaemonSet is created even when none of its other inputs exists yet.
  const namespaces = mgr.informer(Resources.Namespace, byName(opts.namespace));
  const reconciler = new NodeCAReconciler({
    client: mgr.client,
    namespace: opts.namespace,
    image: opts.image,
    hostMappings: opts.hostMappings,
    privileged: opts.privileged,
    daemonSets,
    services,
    conditions: opts.conditions,
  });
  const controller = mgr.controller({ name: 'node-ca', reconcile: reconciler.reconcile });
  for (const inf of [daemonSets, services, hosts, accounts, namespaces, opts.configs]) controller.watches(inf as Informer<ConfigObject>, () => key);
  return { controller, reconciler };
}
