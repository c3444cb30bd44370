import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { sleep, systemClock, type Clock } from './clock.ts';
import type { KubeClient } from './kube-client.ts';
import { silentLogger } from './logger.ts';
import type { KubeObject } from './objects.ts';
import { Resources, objectPath, collectionPath } from './resources.ts';

interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number;
  acquireTime?: string | null;
  renewTime?: string | null;
  leaseTransitions?: number;
}

interface Lease extends KubeObject {
  spec?: LeaseSpec;
}

/** What the elector needs from KubeClient (a fake in unit tests). */
export type LeaseClient = Pick<KubeClient, 'leaseRequest' | 'metrics'>;

export interface LeaderElectorOptions {
  client: LeaseClient;
  /** The Lease name, one per app. */
  name: string;
  namespace: string;
  /** Unique per process (default `<hostname>_<uuid>`). */
  identity?: string;
  /** How long others wait after the last renewal before taking over (default 15 s). */
  leaseDurationMs?: number;
  /** The leader gives up (and stops its controllers) when it could not renew for this long (default 10 s). */
  renewDeadlineMs?: number;
  /** Time between attempts to acquire or renew (default 2 s). */
  retryPeriodMs?: number;
  logger?: Logger;
  clock?: Clock;
}

export interface LeaderCallbacks {
  onStartedLeading(): void;
  /**
   * Called at once when leadership is lost or released; must stop every writer. The elector waits for
   * a returned promise before it campaigns again, so a new term never overlaps the old one's workers.
   */
  onStoppedLeading(): void | Promise<void>;
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's algorithm: a candidate takes the
 * lease once its holder has not renewed it for a lease duration (timed on our own clock, so clock skew
 * between nodes does not matter); the leader renews every retry period and steps down if it cannot
 * renew within the renew deadline, which is shorter than the lease, so it stops before anyone else starts.
 */
export class LeaderElector {
  readonly identity: string;
  readonly name: string;
  readonly namespace: string;
  private readonly client: LeaseClient;
  private readonly leaseMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  private readonly log: Logger;
  private readonly clock: Clock;
  private observed: { record: string; at: number } | undefined;
  private lease: Lease | undefined;
  /** When the last successful acquire/renew was sent (our clock); undefined when not leading. */
  private renewedAt: number | undefined;

  constructor(opts: LeaderElectorOptions) {
    this.client = opts.client;
    this.name = opts.name;
    this.namespace = opts.namespace;
    this.identity = opts.identity ?? `${hostname()}_${randomUUID()}`;
    this.leaseMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryMs = opts.retryPeriodMs ?? 2_000;
    if (!(this.leaseMs > this.renewDeadlineMs && this.renewDeadlineMs > this.retryMs)) {
      throw new RangeError('leader election needs leaseDuration > renewDeadline > retryPeriod');
    }
    this.clock = opts.clock ?? systemClock;
    this.log = (opts.logger ?? silentLogger()).child({ lease: `${opts.namespace}/${opts.name}`, identity: this.identity });
    this.client.metrics.leaderStatus.set({ name: this.name }, 0);
  }

  /** True only while we hold a lease renewed within the renew deadline (checked before every write). */
  isLeader(): boolean {
    return this.renewedAt !== undefined && this.clock.now() - this.renewedAt < this.renewDeadlineMs;
  }

  /** How long our leadership stays valid without another renewal (0 when not leading). */
  leadershipRemainingMs(): number {
    return this.renewedAt === undefined ? 0 : Math.max(0, this.renewedAt + this.renewDeadlineMs - this.clock.now());
  }

  /**
   * Campaigns until `signal` aborts: acquire, lead while renewals succeed, step down when they do not,
   * campaign again. On abort, a leader releases the lease so a successor need not wait for it to expire.
   */
  async run(callbacks: LeaderCallbacks, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (!(await this.attempt(signal))) {
        await sleep(this.retryMs * (1 + Math.random() * 0.2), signal).catch(() => undefined);
        continue;
      }
      this.startLeading(callbacks);
      await this.renewLoop(signal);
      await this.stopLeading(callbacks);
      if (signal.aborted) await this.release();
    }
  }

  private startLeading(callbacks: LeaderCallbacks): void {
    this.client.metrics.leaderStatus.set({ name: this.name }, 1);
    this.log.info('became leader');
    callbacks.onStartedLeading();
  }

  private async stopLeading(callbacks: LeaderCallbacks): Promise<void> {
    const was = this.renewedAt !== undefined;
    this.renewedAt = undefined;
    this.client.metrics.leaderStatus.set({ name: this.name }, 0);
    if (!was) return;
    try {
      await callbacks.onStoppedLeading();
    } catch (err) {
      this.log.error({ err }, 'stopping the controllers after losing the lease failed');
    }
  }

  /** Renews until the deadline passes without success, or `signal` aborts. */
  private async renewLoop(signal: AbortSignal): Promise<void> {
    const deadline = new AbortController();
    const both = AbortSignal.any([signal, deadline.signal]);
    // A timer, not just a check after each attempt: a hung request must not keep us leading.
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      const left = (this.renewedAt ?? 0) + this.renewDeadlineMs - this.clock.now();
      timer = setTimeout(() => deadline.abort(new Error('renew deadline passed')), Math.max(0, left));
    };
    arm();
    try {
      while (!both.aborted) {
        await sleep(this.retryMs, both).catch(() => undefined);
        if (both.aborted) break;
        if (await this.attempt(both)) arm();
        if (!this.isLeader()) break;
      }
    } finally {
      clearTimeout(timer);
    }
    if (!signal.aborted) this.log.error('lost leadership: could not renew the lease within the renew deadline');
  }

  /** One acquire-or-renew; true when we hold the lease afterwards. */
  private async attempt(signal: AbortSignal): Promise<boolean> {
    const sentAt = this.clock.now();
    // One hung request must not cost the lease: cap it like controller-runtime, at max(renewDeadline/2, 1 s).
    const cap = new AbortController();
    const timer = setTimeout(() => cap.abort(new Error('lease request timed out')), Math.max(this.renewDeadlineMs / 2, 1000));
    try {
      const ok = await this.tryAcquireOrRenew(sentAt, AbortSignal.any([signal, cap.signal]));
      if (ok) this.renewedAt = sentAt;
      return ok;
    } catch (err) {
      if (!signal.aborted) this.log.warn({ err }, 'could not acquire or renew the lease');
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private async tryAcquireOrRenew(now: number, signal: AbortSignal): Promise<boolean> {
    const path = objectPath(Resources.Lease, this.name, this.namespace);
    const got = await this.client.leaseRequest({ verb: 'get', method: 'GET', path, signal }, [404]);
    const wall = microTime(new Date());
    if (got.status === 404) {
      const body: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.name, namespace: this.namespace },
        spec: this.spec(wall, wall, 0),
      };
      const created = await this.client.leaseRequest(
        { verb: 'create', method: 'POST', path: collectionPath(Resources.Lease, this.namespace), body, signal },
        [409],
      );
      if (created.status === 409) return false;
      this.lease = created.body as Lease;
      this.observe(this.lease, now);
      return true;
    }
    const lease = got.body as Lease;
    this.observe(lease, now);
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    // The holder's own lease duration decides when its lease expires, not ours (as client-go does).
    const holderLeaseMs = spec.leaseDurationSeconds && spec.leaseDurationSeconds > 0 ? spec.leaseDurationSeconds * 1000 : this.leaseMs;
    if (holder && holder !== this.identity && (this.observed?.at ?? now) + holderLeaseMs > now) return false;
    const mine = holder === this.identity;
    const next: Lease = {
      ...lease,
      spec: this.spec(mine ? (spec.acquireTime ?? wall) : wall, wall, (spec.leaseTransitions ?? 0) + (mine ? 0 : 1)),
    };
    const put = await this.client.leaseRequest({ verb: 'update', method: 'PUT', path, body: next, signal }, [409]);
    if (put.status === 409) return false;
    if (!mine) this.log.info({ previous: holder || undefined }, 'acquired the lease');
    this.lease = put.body as Lease;
    this.observe(this.lease, now);
    return true;
  }

  /** Gives the lease up (empty holder) so a successor can take it at once. */
  private async release(): Promise<void> {
    const lease = this.lease;
    if (!lease || lease.spec?.holderIdentity !== this.identity) return;
    const wall = microTime(new Date());
    const body: Lease = {
      ...lease,
      spec: { holderIdentity: null, leaseDurationSeconds: 1, acquireTime: wall, renewTime: wall, leaseTransitions: lease.spec.leaseTransitions ?? 0 },
    };
    try {
      const path = objectPath(Resources.Lease, this.name, this.namespace);
      await this.client.leaseRequest({ verb: 'update', method: 'PUT', path, body, signal: AbortSignal.timeout(5000) });
      this.log.info('released the lease');
    } catch (err) {
      this.log.warn({ err }, 'could not release the lease; the next leader waits for it to expire');
    }
    this.lease = undefined;
  }

  private spec(acquireTime: string, renewTime: string, leaseTransitions: number): LeaseSpec {
    return {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.leaseMs / 1000),
      acquireTime,
      renewTime,
      leaseTransitions,
    };
  }

  /** Remembers when the lease record last changed, on our clock. */
  private observe(lease: Lease, now: number): void {
    const record = JSON.stringify(lease.spec ?? {});
    if (this.observed?.record !== record) this.observed = { record, at: now };
  }
}

/** metav1.MicroTime wants six fractional digits. */
function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
