import { clusterOperatorInputs } from '@image-registry/conditions';
import {
  isAlreadyExists,
  newest,
  type KubeClient,
  type Reconcile,
  type Request,
} from '@image-registry/controller-runtime';
import type { ConditionMetrics } from './condition-metrics.ts';
import { renderClusterOperatorStatus } from './render/cluster-operator.ts';
import {
  ClusterOperatorResource,
  names,
  type ClusterOperatorObject,
  type ConfigObject,
  type DeploymentObject,
  type ImagePrunerObject,
} from './resources.ts';

/** A cache read (an informer's `get`). */
export interface Reader<T> {
  get(key: Request): T | undefined;
}

export interface ClusterOperatorReconcilerOptions {
  client: Pick<KubeClient, 'create' | 'get' | 'applyStatus'>;
  configs: Reader<ConfigObject>;
  pruners: Reader<ImagePrunerObject>;
  deployments: Reader<DeploymentObject>;
  clusterOperators: Reader<ClusterOperatorObject>;
  /** The operand namespace: where the registry Deployment lives; reported in relatedObjects. */
  namespace: string;
  /** This release's version (`RELEASE_VERSION`); empty when unknown. */
  releaseVersion: string;
  metrics: ConditionMetrics;
  /** Default: the system clock. */
  now?: () => Date;
}

/**
 * Converges ClusterOperator/image-registry: creates it when absent, then applies its status (the create
 * cannot carry status: the status subresource drops it). The status is rendered from the caches; the
 * apply is skipped when the ClusterOperator already shows it, so an unchanged cluster costs no write.
 */
export class ClusterOperatorReconciler {
  private readonly opts: ClusterOperatorReconcilerOptions;
  private readonly now: () => Date;
  /**
   * The ClusterOperator as this process last wrote it. Until the informer has seen that write, it is
   * newer than the cache; reading transition times from a stale cache would keep an old time across a
   * status change. (client-go's mutation cache does the same for the same reason.)
   */
  private written: ClusterOperatorObject | undefined;

  constructor(opts: ClusterOperatorReconcilerOptions) {
    this.opts = opts;
    this.now = opts.now ?? (() => new Date());
  }

  readonly reconcile: Reconcile = async (_req, ctx) => {
    const { opts } = this;
    const config = opts.configs.get({ name: names.config });
    const pruner = opts.pruners.get({ name: names.pruner });
    const deployment = opts.deployments.get({ namespace: opts.namespace, name: names.deployment });

    opts.metrics.observe(
      config ? clusterOperatorInputs(config.status?.conditions, pruner?.status?.conditions) : [],
    );

    let current = newest(opts.clusterOperators.get({ name: names.clusterOperator }), this.written);
    if (!current) {
      current = await this.create();
      ctx.log.info('created ClusterOperator image-registry');
    }

    const status = renderClusterOperatorStatus({
      config,
      pruner,
      deployment,
      releaseVersion: opts.releaseVersion,
      namespace: opts.namespace,
      previous: current.status,
      now: this.now(),
    });
    const desired: ClusterOperatorObject = {
      apiVersion: ClusterOperatorResource.apiVersion,
      kind: ClusterOperatorResource.kind,
      metadata: { name: names.clusterOperator },
      status,
    };
    const result = await opts.client.applyStatus(ClusterOperatorResource, desired, { current });
    if (result !== current) {
      this.written = result;
      ctx.log.debug({ resourceVersion: result.metadata?.resourceVersion }, 'applied ClusterOperator status');
    }
  };

  /** Creates the ClusterOperator (spec is empty by definition); tolerates a concurrent creator. */
  private async create(): Promise<ClusterOperatorObject> {
    const { client } = this.opts;
    const empty: ClusterOperatorObject = {
      apiVersion: ClusterOperatorResource.apiVersion,
      kind: ClusterOperatorResource.kind,
      metadata: { name: names.clusterOperator },
      spec: {},
    };
    try {
      return await client.create(ClusterOperatorResource, empty);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const live = await client.get(ClusterOperatorResource, { name: names.clusterOperator });
      if (!live)
        throw new Error('ClusterOperator image-registry was reported to exist but is gone; retrying', {
          cause: err,
        });
      return live;
    }
  }
}
