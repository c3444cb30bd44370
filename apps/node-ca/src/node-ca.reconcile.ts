import type { KubeClient, Reconcile } from '@image-registry/controller-runtime';
import type { ConfigConditions, Reader } from './config-conditions.ts';
import { ensureConfigMap } from './config-map-apply.ts';
import { renderDaemonSet } from './render/daemonset.ts';
import { renderHostsConfigMap } from './render/hosts-config-map.ts';
import { controllerDegraded, daemonSetConditions, degradedInertiaMs } from './render/node-ca-conditions.ts';
import { renderServiceAccount } from './render/service-account.ts';
import { DaemonSetResource, ServiceAccountResource, names, type DaemonSetObject, type ServiceObject } from './resources.ts';

export interface NodeCAReconcilerOptions {
  client: Pick<KubeClient, 'apply' | 'update'>;
  namespace: string;
  image: string;
  hostMappings: boolean;
  privileged: boolean;
  daemonSets: Reader<DaemonSetObject>;
  services: Reader<ServiceObject>;
  conditions: ConfigConditions;
  now?: () => number;
}

/**
 * Controller `node-ca` (§9.4): keeps DaemonSet node-ca deployed in every managementState (edits are
 * taken back by the forced apply), and ConfigMap node-ca-hosts, through which the registry Service's
 * address reaches the agents. Reports NodeCADaemonAvailable/Progressing from the DaemonSet as found,
 * and NodeCADaemonControllerDegraded once apply failures have lasted two minutes.
 */
export class NodeCAReconciler {
  private failingSince: number | undefined;
  private readonly now: () => number;

  private readonly opts: NodeCAReconcilerOptions;

  constructor(opts: NodeCAReconcilerOptions) {
    this.opts = opts;
    this.now = opts.now ?? Date.now;
  }

  readonly reconcile: Reconcile = async (_req, ctx) => {
    const { opts } = this;
    const ds = opts.daemonSets.get({ namespace: opts.namespace, name: names.daemonSet });
    const observed = daemonSetConditions(ds);
    let error: Error | undefined;
    try {
      // Pods naming a ServiceAccount that does not exist are refused: the account comes first.
      await opts.client.apply(ServiceAccountResource, renderServiceAccount(opts.namespace), { signal: ctx.signal });
      await opts.client.apply(
        DaemonSetResource,
        renderDaemonSet({ namespace: opts.namespace, image: opts.image, hostMappings: opts.hostMappings, privileged: opts.privileged }),
        { signal: ctx.signal },
      );
      const service = opts.services.get({ namespace: opts.namespace, name: names.service });
      await ensureConfigMap(opts.client, renderHostsConfigMap(opts.namespace, service), ctx.log, ctx.signal);
      this.failingSince = undefined;
    } catch (err) {
      error = err as Error;
      this.failingSince ??= this.now();
    }
    const degraded = controllerDegraded(error && `failed to apply daemonset: ${error.message}`, this.failingSince, this.now());
    await opts.conditions.set(degraded ? [...observed, degraded] : observed, ctx.log, ctx.signal);
    if (!error) return undefined;
    if (!degraded) {
      // Look again when the inertia ends, even if the backoff would wait longer.
      ctx.log.warn({ err: error.message }, 'applying the node-ca DaemonSet failed; retrying');
      return { requeueAfterMs: Math.max(1000, Math.min(30_000, degradedInertiaMs - (this.now() - (this.failingSince ?? 0)))) };
    }
    throw error;
  };
}
