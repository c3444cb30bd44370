import type { Logger } from 'pino';
import type { EventRecorder } from './events.ts';
import type { Failures } from './failures.ts';
import { modeOf, type Mode } from './management.ts';
import type { PullSecretMetrics } from './metrics.ts';
import type { ObservedState } from './observed.ts';
import type { Lister, Reader } from './readers.ts';
import { PodResource, type ConfigObject, type NamespaceObject, type PodObject, type PullSecretObject, type ServiceAccountObject } from './resources.ts';
import type { NamespaceScope } from './scope.ts';
import type { PullSecretClient } from './throttle.ts';
import type { WrittenObjects } from './written.ts';

/** What the loops share: caches, the client, the observed hosts and keys, bookkeeping. */
export interface LoopContext {
  client: PullSecretClient;
  serviceAccounts: Lister<ServiceAccountObject>;
  secrets: Lister<PullSecretObject>;
  namespaces: Reader<NamespaceObject>;
  configs: Reader<ConfigObject>;
  scope: NamespaceScope;
  observed: ObservedState;
  metrics: PullSecretMetrics;
  failures: Failures;
  events: EventRecorder;
  writtenServiceAccounts: WrittenObjects<ServiceAccountObject>;
  writtenSecrets: WrittenObjects<PullSecretObject>;
  /** `--management-state`. */
  managementState: 'Managed' | 'Removed';
  /** Removal never deletes a secret younger than this (10 min). */
  removalMinAgeMs: number;
  now: () => number;
  log: Logger;
  /** Pods per namespace, read live and briefly reused while removing (no Pod cache: there may be 100,000). */
  pods: PodLister;
}

export function modeNow(ctx: Pick<LoopContext, 'managementState' | 'configs'>): Mode {
  return modeOf(ctx.managementState, ctx.configs.get({ name: 'cluster' }));
}

/** Lists a namespace's Pods at most once per `ttlMs`, for "is this secret still referenced by a Pod". */
export class PodLister {
  private readonly cache = new Map<string, { at: number; pods: Promise<PodObject[]> }>();
  private readonly opts: { client: PullSecretClient; now: () => number; ttlMs?: number };

  constructor(opts: { client: PullSecretClient; now: () => number; ttlMs?: number }) {
    this.opts = opts;
  }

  async inNamespace(namespace: string): Promise<PodObject[]> {
    const now = this.opts.now();
    const hit = this.cache.get(namespace);
    if (hit && now - hit.at < (this.opts.ttlMs ?? 5000)) return hit.pods;
    const pods = this.opts.client.list(PodResource, { namespace }).then((r) => r.items);
    this.cache.set(namespace, { at: now, pods });
    pods.catch(() => this.cache.delete(namespace));
    if (this.cache.size > 2000) for (const [k, v] of this.cache) if (now - v.at >= (this.opts.ttlMs ?? 5000)) this.cache.delete(k);
    return pods;
  }
}
