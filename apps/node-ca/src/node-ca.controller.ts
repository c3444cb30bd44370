import type { Controller, Informer, Manager } from '@image-registry/controller-runtime';
import type { ConfigConditions } from './config-conditions.ts';
import { NodeCAReconciler } from './node-ca.reconcile.ts';
import { ConfigMapResource, DaemonSetResource, names, ServiceResource, type ConfigObject } from './resources.ts';

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
 * node-ca-hosts (repaired too), the registry Service (its ClusterIP goes to the nodes) and
 * Config/cluster (the conditions are written once it exists).
 */
export function setupNodeCAController(mgr: Manager, opts: NodeCAControllerOptions): { controller: Controller; reconciler: NodeCAReconciler } {
  const daemonSets = mgr.informer(DaemonSetResource, { namespace: opts.namespace, ...byName(names.daemonSet) });
  const services = mgr.informer(ServiceResource, { namespace: opts.namespace, ...byName(names.service) });
  const hosts = mgr.informer(ConfigMapResource, { namespace: opts.namespace, ...byName(names.hosts) });
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
  for (const inf of [daemonSets, services, hosts, opts.configs]) controller.watches(inf as Informer<ConfigObject>, () => key);
  return { controller, reconciler };
}
