import {
  ownerReference,
  type KubeClient,
  type KubeObject,
  type Reconcile,
} from '@image-registry/controller-runtime';
import { ownedBy, type Backend } from './backends.ts';
import type { ConditionBoard } from './condition-board.ts';
import { repairForeignSpec } from './foreign-spec.ts';
import type { Lister, Reader } from './reader.ts';
import { admissionProblem, conditionTypes, degraded } from './render/conditions.ts';
import { renderAll, routeRequests, type Problem } from './render/requests.ts';
import { names, type ConfigObject, type SecretObject } from './resources.ts';

export interface RoutesReconcilerOptions {
  client: Pick<KubeClient, 'apply' | 'delete' | 'update' | 'fieldManager'>;
  backend: Backend;
  configs: Reader<ConfigObject>;
  objects: Lister<KubeObject>;
  secrets: Reader<SecretObject>;
  board: Pick<ConditionBoard, 'set'>;
  namespace: string;
}

/**
 * Converges the registry's external routes (Routes or Ingresses) on Config/cluster: the default
 * route and one per `spec.routes` entry while Managed, none while Removed, hands off while
 * Unmanaged. A problem only an admin can fix (a missing secret, no host) is reported as
 * RoutesControllerDegraded and nothing is written until it is fixed; its fix is an event that
 * brings the controller back, so there is no retry loop.
 */
export class RoutesReconciler {
  private readonly opts: RoutesReconcilerOptions;

  constructor(opts: RoutesReconcilerOptions) {
    this.opts = opts;
  }

  readonly reconcile: Reconcile = async (_req, ctx) => {
    const { opts } = this;
    const config = opts.configs.get({ name: names.config });
    if (!config) return; // registry-workload bootstraps it; its creation is an event
    const owned = ownedBy(opts.objects.list(), opts.namespace);
    const state = config.spec?.managementState ?? 'Managed';
    if (state === 'Unmanaged') return this.report(undefined);
    if (state === 'Removed') {
      for (const obj of owned) await this.remove(obj, ctx.log, 'the registry is Removed');
      return this.report(undefined);
    }

    const requests = routeRequests(config.spec, names.defaultRoute);
    if (!requests.ok) return this.report(requests.problem);
    const owner = config.metadata?.uid ? ownerReference(config, { blockOwnerDeletion: false }) : undefined;
    const rendered = renderAll(requests.value, (r) =>
      opts.backend.render(r, {
        namespace: opts.namespace,
        owner,
        secret: (name) => opts.secrets.get({ namespace: opts.namespace, name }),
      }),
    );
    if (!rendered.ok) return this.report(rendered.problem);

    const wanted = new Set<string>();
    const problems: string[] = [];
    for (const desired of rendered.value) {
      const name = desired.metadata?.name ?? '';
      wanted.add(name);
      const live = await opts.client.apply(opts.backend.resource, desired);
      const repaired = await repairForeignSpec(opts.client, opts.backend.resource, live, desired);
      if (repaired) ctx.log.info({ kind: opts.backend.kind, name }, 'removed fields another manager added to the spec');
      problems.push(...opts.backend.problems(live));
    }
    for (const obj of owned) {
      if (!wanted.has(obj.metadata?.name ?? '')) await this.remove(obj, ctx.log, 'no longer in spec');
    }
    return this.report(admissionProblem(problems));
  };

  private async remove(obj: KubeObject, log: { info(o: object, m: string): void }, why: string): Promise<void> {
    const { opts } = this;
    const name = obj.metadata?.name ?? '';
    const uid = obj.metadata?.uid;
    // Only the incarnation we saw: a route someone re-created meanwhile is judged on the next pass.
    // Background: a route has no dependents, and foreground deletion would wait for the garbage
    // collector to notice a newly installed Route CRD.
    const gone = await opts.client.delete(
      opts.backend.resource,
      { namespace: opts.namespace, name },
      { propagationPolicy: 'Background', ...(uid ? { preconditions: { uid } } : {}) },
    );
    if (gone) log.info({ kind: opts.backend.kind, name, why }, 'deleted route');
  }

  private async report(problem: Problem | undefined): Promise<void> {
    await this.opts.board.set(degraded(conditionTypes.routes, problem));
  }
}
