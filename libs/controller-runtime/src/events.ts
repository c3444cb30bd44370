import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.ts';
import { isNotFound } from './errors.ts';
import type { KubeClient } from './kube-client.ts';
import type { KubeObject } from './objects.ts';
import { reconcileScope } from './reconcile-scope.ts';
import { resource } from './resources.ts';

/** The object an Event is about (`regarding`) or mentions (`related`). */
export interface EventRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
}

export interface EventInput {
  /** What the Event is about; cluster-scoped or elsewhere: it becomes `related` of the app's Deployment. */
  regarding?: EventRef;
  type: 'Normal' | 'Warning';
  /** CamelCase, why it happened (`BucketCreated`, `RouteNotAdmitted`). */
  reason: string;
  /** CamelCase, what the app did or tried (`Create`, `Apply`, `Rollout`). */
  action: string;
  /** A sentence an admin can act on; never a secret. */
  note: string;
}

export interface EventRecorderOptions {
  client: KubeClient;
  /** `reportingController`: `image-registry-operator/<app>`. */
  controller: string;
  /** Where the Events live: the namespace the app writes (RBAC: events create, patch there). */
  namespace: string;
  /** Stands in as `regarding` for cluster-scoped objects (upstream reports on the operator's Deployment). */
  self: EventRef;
  logger?: Logger;
  clock?: Pick<Clock, 'now'>;
  /** A repeat is written at most this often per Event (default 60 s); repeats meanwhile only add to the count. */
  seriesFlushMs?: number;
  /** A repeat this long after the Event was created starts a new one (default 50 min, inside the API server's 1 h TTL). */
  seriesMaxAgeMs?: number;
  /** Event writes in a burst (default 25), then one per `refillMs` (default 10 s): a flood is dropped, not sent. */
  burst?: number;
  refillMs?: number;
}

const EventResource = resource<KubeObject & Record<string, unknown>>({ apiVersion: 'events.k8s.io/v1', kind: 'Event', plural: 'events', namespaced: true });

interface Series {
  name: string;
  createdAt: number;
  count: number;
  written: number;
  lastObserved: number;
  lastWriteAt: number;
  /** Settles true once the Event exists: a series patch never races ahead of its create. */
  created: Promise<boolean>;
  timer?: NodeJS.Timeout;
}

/** MicroTime: RFC 3339 with six fractional digits. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Kubernetes Events (events.k8s.io/v1) as client-go's recorder writes them: the same Event seen again is
 * one Event whose `series.count` grows, patched at most once per `seriesFlushMs`, so a reconcile that
 * fails in a loop writes a handful of requests, never one Event per attempt. Recording never throws and
 * never blocks the caller: an Event is a courtesy, the conditions are the contract.
 */
export class EventRecorder {
  private readonly opts: EventRecorderOptions;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly series = new Map<string, Series>();
  private readonly instance: string;
  private tokens: number;
  private refilledAt: number;

  constructor(opts: EventRecorderOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
    this.instance = `${opts.controller.split('/').pop() ?? 'app'}-${hostname()}`.slice(0, 128);
    this.tokens = opts.burst ?? 25;
    this.refilledAt = this.clock.now();
  }

  normal(regarding: EventRef | undefined, reason: string, action: string, note: string): void {
    this.record({ ...(regarding ? { regarding } : {}), type: 'Normal', reason, action, note });
  }

  warning(regarding: EventRef | undefined, reason: string, action: string, note: string): void {
    this.record({ ...(regarding ? { regarding } : {}), type: 'Warning', reason, action, note });
  }

  /** Records `e` now or folds it into its series; the write runs in the background. */
  record(e: EventInput): void {
    const { regarding, related } = this.subjects(e.regarding);
    const note = e.note.length > 1000 ? `${e.note.slice(0, 997)}...` : e.note;
    const key = JSON.stringify([regarding, related, e.type, e.reason, e.action, note]);
    const now = this.clock.now();
    const s = this.series.get(key);
    if (s && now - s.createdAt < (this.opts.seriesMaxAgeMs ?? 50 * 60_000)) {
      s.count++;
      s.lastObserved = now;
      this.scheduleFlush(key, s);
      return;
    }
    if (s?.timer) clearTimeout(s.timer);
    this.series.delete(key);
    if (!this.take()) {
      this.opts.logger?.debug({ reason: e.reason }, 'event dropped: too many events recorded recently');
      return;
    }
    const name = `${regarding.name}.${randomBytes(8).toString('hex')}`.slice(0, 253);
    const fresh: Series = { name, createdAt: now, count: 1, written: 1, lastObserved: now, lastWriteAt: now, created: Promise.resolve(false) };
    this.series.set(key, fresh);
    this.evict();
    const body = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace: this.opts.namespace },
      eventTime: microTime(now),
      reportingController: this.opts.controller,
      reportingInstance: this.instance,
      regarding,
      ...(related ? { related } : {}),
      type: e.type,
      reason: e.reason,
      action: e.action,
      note,
    };
    fresh.created = this.background(() => this.opts.client.create(EventResource, body), e.reason);
  }

  /** Cancels pending series writes (the process is stopping). */
  close(): void {
    for (const s of this.series.values()) if (s.timer) clearTimeout(s.timer);
    this.series.clear();
  }

  private subjects(ref: EventRef | undefined): { regarding: EventRef; related?: EventRef } {
    if (ref && ref.namespace === this.opts.namespace) return { regarding: ref };
    return ref ? { regarding: this.opts.self, related: ref } : { regarding: this.opts.self };
  }

  private scheduleFlush(key: string, s: Series): void {
    if (s.timer) return;
    const wait = Math.max(0, s.lastWriteAt + (this.opts.seriesFlushMs ?? 60_000) - this.clock.now());
    s.timer = setTimeout(() => {
      delete s.timer;
      if (this.series.get(key) !== s || s.count === s.written) return;
      if (!this.take()) return this.scheduleFlush(key, s);
      s.written = s.count;
      s.lastWriteAt = this.clock.now();
      const patch = { series: { count: s.count, lastObservedTime: microTime(s.lastObserved) } };
      const gone = () => {
        // Never created, expired or deleted: the next repeat starts a new Event.
        if (this.series.get(key) === s) this.series.delete(key);
      };
      void s.created.then((exists) => {
        if (!exists) return gone();
        void this.background(() => this.opts.client.patch(EventResource, { namespace: this.opts.namespace, name: s.name }, patch), 'series', gone);
      });
    }, wait);
    s.timer.unref();
  }

  private take(): boolean {
    const now = this.clock.now();
    const refill = this.opts.refillMs ?? 10_000;
    const gained = Math.floor((now - this.refilledAt) / refill);
    if (gained > 0) {
      this.tokens = Math.min(this.opts.burst ?? 25, this.tokens + gained);
      this.refilledAt += gained * refill;
    }
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }

  private evict(): void {
    for (const [k, s] of this.series) {
      if (this.series.size <= 256) break;
      if (s.timer) clearTimeout(s.timer);
      this.series.delete(k);
    }
  }

  /** Runs the write off the caller's path; settles true when it succeeded, never rejects. */
  private background(write: () => Promise<unknown>, what: string, onNotFound?: () => void): Promise<boolean> {
    // Outside the reconcile's scope: the Event must not be cancelled because the reconcile returned.
    return reconcileScope.exit(() =>
      write().then(
        () => true,
        (err: unknown) => {
          if (onNotFound && isNotFound(err)) onNotFound();
          else this.opts.logger?.warn({ err: (err as Error).message, event: what }, 'could not record an event (needs create and patch on events.k8s.io events)');
          return false;
        },
      ),
    );
  }
}

/** A ref to a Kubernetes object for an Event (`apiVersion`, `kind`, name, namespace, uid). */
export function eventRef(obj: KubeObject, fallback?: { apiVersion: string; kind: string }): EventRef {
  const m = obj.metadata;
  return {
    apiVersion: obj.apiVersion ?? fallback?.apiVersion ?? 'v1',
    kind: obj.kind ?? fallback?.kind ?? '',
    name: m?.name ?? '',
    ...(m?.namespace ? { namespace: m.namespace } : {}),
    ...(m?.uid ? { uid: m.uid } : {}),
  };
}
