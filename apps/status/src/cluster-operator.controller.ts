import { Resources, type Controller, type Manager } from '@image-registry/controller-runtime';
import { ClusterOperatorReconciler } from './cluster-operator.reconcile.ts';
import { ConditionMetrics } from './condition-metrics.ts';
import {
  ClusterOperatorResource,
  ConfigResource,
  DeploymentResource,
  ImagePrunerResource,
  names,
} from './resources.ts';

export interface ClusterOperatorControllerOptions {
  /** The operand namespace (the registry Deployment's). */
  namespace: string;
  /** This release's version (`RELEASE_VERSION`). */
  releaseVersion: string;
  now?: () => Date;
}

/** Every event maps to the one key there is: the ClusterOperator is a function of all inputs at once. */
const key = { name: names.clusterOperator };

const byName = (name: string) => ({ fieldSelector: `metadata.name=${name}` });

/**
 * The `cluster-operator` controller: watches Config/cluster, ImagePruner/cluster, the registry
 * Deployment and the ClusterOperator itself (to repair edits and re-create it when deleted), each
 * narrowed by name so the caches hold one object apiece and RBAC can name them. It also watches the
 * operand namespace: that one input always exists, and a controller queues every cached object when it
 * starts, so the ClusterOperator is reported (as Unknown) even when nothing else exists yet.
 */
export function setupClusterOperatorController(
  mgr: Manager,
  opts: ClusterOperatorControllerOptions,
): { controller: Controller; reconciler: ClusterOperatorReconciler } {
  const configs = mgr.informer(ConfigResource, byName(names.config));
  const pruners = mgr.informer(ImagePrunerResource, byName(names.pruner));
  const deployments = mgr.informer(DeploymentResource, {
    namespace: opts.namespace,
    ...byName(names.deployment),
  });
  const clusterOperators = mgr.informer(ClusterOperatorResource, byName(names.clusterOperator));
  const namespaces = mgr.informer(Resources.Namespace, byName(opts.namespace));

  const reconciler = new ClusterOperatorReconciler({
    client: mgr.client,
    configs,
    pruners,
    deployments,
    clusterOperators,
    namespace: opts.namespace,
    releaseVersion: opts.releaseVersion,
    metrics: new ConditionMetrics(mgr.registry),
    ...(opts.now ? { now: opts.now } : {}),
  });

  const controller = mgr
    .controller({ name: 'cluster-operator', reconcile: reconciler.reconcile })
    .watches(configs, () => key)
    .watches(pruners, () => key)
    .watches(deployments, () => key)
    .watches(clusterOperators, () => key)
    .watches(namespaces, () => key);
  return { controller, reconciler };
}
