import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { systemClock, type Clock } from './clock.ts';
import { KubeApiError, TerminalError } from './errors.ts';
import type { EventHandler, Informer } from './informer.ts';
import { silentLogger } from './logger.ts';
import { runtimeMetrics, type RuntimeMetrics } from './metrics.ts';
import { groupOf, parseRequestKey, requestFor, requestKey, type KubeObject, type Request } from './objects.ts';
import type { RateLimiterOptions } from './rate-limiter.ts';
import { reconcileScope } from './reconcile-scope.ts';
import type { ResourceType } from './resources.ts';
import { WorkQueue } from './workqueue.ts';

/** What a reconcile returns: nothing when done, or when to look again. Errors are thrown. */
export type Result = { requeueAfterMs?: number } | void | undefined;

export interface ReconcileContext {
  /** Aborted on timeout, on shutdown and when leadership is lost; KubeClient calls inherit it. */
  signal: AbortSignal;
  /** Carries `controller`, `key` and `reconcileID`. */
  log: Logger;
  reconcileID: string;
}

/**
 * Converges one object. Read the cache, compute, apply, return. Throw to retry with backoff, throw a
 * TerminalError for input only a user can fix, return `{ requeueAfterMs }` to look again later.
 */
export type Reconcile = (req: Request, ctx: ReconcileContext) => Promise<Result>;

/** Which events reach the queue (default: all). */
export type Predicate<T> = (ev: { type: 'add' | 'update' | 'delete'; obj: T; old?: T }) => boolean;

export interface ControllerOptions {
  /** The `controller` label of every metric and log line. */
  name: string;
  reconcile: Reconcile;
  /** Concurrent reconciles (default 1); one key never runs twice at once. */
  workers?: number;
  /** Abort a reconcile's signal after this long (default 60 s); the reconcile then fails and is retried. */
  reconcileTimeoutMs?: number;
  /** Retry backoff (default 5 ms → 1000 s per key, 10 qps / 100 burst overall). */
  rateLimiter?: RateLimiterOptions;
  /** How long `start` waits for the sources' caches (default 2 min). */
  cacheSyncTimeoutMs?: number;
  logger?: Logger;
  registry?: Registry;
  clock?: Clock;
}

export interface OwnsOptions<T> {
  /** The owner's resource (default: the `for` resource). */
  owner?: ResourceType;
  /** Map by labels instead of owner references (for owners in another namespace or scope). */
  byLabel?: { name: string; namespace?: string };
  predicate?: Predicate<T>;
}

interface Source {
  informer: Informer<KubeObject>;
  map: (obj: KubeObject) => Request[];
  predicate: Predicate<KubeObject> | undefined;
}

/**
 * A reconcile loop in controller-runtime's mould: sources map events to keys on one work queue;
 * N workers reconcile keys; the result decides what happens to the key.
 */
export class Controller {
  readonly name: string;
  private readonly opts: ControllerOptions;
  private readonly log: Logger;
  private readonly metrics: RuntimeMetrics;
  private readonly clock: Clock;
  private readonly sources: Source[] = [];
  private primary: ResourceType | undefined;
  private run:
    | { queue: WorkQueue; term: AbortController; workers: Promise<void>[]; unsubscribe: (() => void)[] }
    | undefined;
  /** Bumped by every start and stop: a start that finds it changed after syncing does not run. */
  private generation = 0;
  private starting: AbortController | undefined;

  constructor(opts: ControllerOptions) {
    this.opts = opts;
    this.name = opts.name;
    this.clock = opts.clock ?? systemClock;
    this.log = (opts.logger ?? silentLogger()).child({ controller: opts.name });
    this.metrics = runtimeMetrics(opts.registry ?? new Registry());
    this.metrics.initController(opts.name, this.workers);
  }

  private get workers(): number {
    return Math.max(1, this.opts.workers ?? 1);
  }

  /** Reconcile each object of the primary resource, keyed by its own name. */
  for<T extends KubeObject>(informer: Informer<T>, opts: { predicate?: Predicate<T> } = {}): this {
    this.primary = informer.resource;
    return this.source(informer, (obj) => [requestFor(obj)], opts.predicate);
  }

  /** Reconcile the owner when an owned object changes (owner references, or labels). */
  owns<T extends KubeObject>(informer: Informer<T>, opts: OwnsOptions<T> = {}): this {
    const owner = opts.owner ?? this.primary;
    if (!owner && !opts.byLabel) throw new Error(`${this.name}: call for() before owns(), or pass owns(…, { owner })`);
    const byLabel = opts.byLabel;
    const map = byLabel
      ? (obj: T): Request[] => {
          const name = obj.metadata?.labels?.[byLabel.name];
          if (!name) return [];
          const ns = byLabel.namespace ? obj.metadata?.labels?.[byLabel.namespace] : obj.metadata?.namespace;
          return [owner?.namespaced === false || !ns ? { name } : { namespace: ns, name }];
        }
      : (obj: T): Request[] =>
          (obj.metadata?.ownerReferences ?? [])
            .filter((r) => r.kind === owner?.kind && groupOf(r.apiVersion) === groupOf(owner.apiVersion))
            .map((r) => (owner?.namespaced && obj.metadata?.namespace ? { namespace: obj.metadata.namespace, name: r.name } : { name: r.name }));
    return this.source(informer, map, opts.predicate);
  }

  /** Reconcile whatever `map` names when an object of another resource changes. */
  watches<T extends KubeObject>(
    informer: Informer<T>,
    map: (obj: T) => Request | Request[] | undefined,
    opts: { predicate?: Predicate<T> } = {},
  ): this {
    return this.source(informer, (obj) => {
      const r = map(obj);
      return r === undefined ? [] : Array.isArray(r) ? r : [r];
    }, opts.predicate);
  }

  /** Queues a key by hand (a timer, an external signal). Ignored while stopped. */
  enqueue(req: Request, afterMs = 0): void {
    this.run?.queue.addAfter(requestKey(req), afterMs);
  }

  get running(): boolean {
    return this.run !== undefined;
  }

  /** The informers this controller reads (the manager waits for them before it is ready). */
  get informers(): Informer<KubeObject>[] {
    return this.sources.map((s) => s.informer);
  }

  /**
   * Waits for the sources' caches, then starts the workers. Every cached object is queued once. Each
   * start is a generation: a `stop()` while the caches sync cancels it (it resolves without starting),
   * and a start while one is pending or running is a no-op, so a leadership flap never leaves a
   * controller running after it was stopped, nor two worker pools.
   */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.run || this.starting) return;
    const generation = ++this.generation;
    const cancel = new AbortController();
    this.starting = cancel;
    const syncMs = this.opts.cacheSyncTimeoutMs ?? 120_000;
    const timeout = AbortSignal.timeout(syncMs);
    const wait = AbortSignal.any([cancel.signal, timeout, ...(signal ? [signal] : [])]);
    try {
      await Promise.all(this.sources.map((s) => s.informer.waitForSync(wait)));
    } catch (err) {
      if (cancel.signal.aborted) return; // stopped while syncing: this generation never runs
      if (signal?.aborted) throw err;
      throw new Error(`${this.name}: caches did not sync within ${syncMs} ms; check RBAC (list/watch) and the API server`, { cause: err });
    } finally {
      if (this.starting === cancel) this.starting = undefined;
    }
    if (generation !== this.generation || signal?.aborted) return;
    const queue = new WorkQueue({
      name: this.name,
      rateLimiter: { clock: this.clock, ...this.opts.rateLimiter },
      metrics: this.metrics,
      clock: this.clock,
    });
    const term = new AbortController();
    const unsubscribe = this.sources.map((s) => s.informer.on(this.handler(s, queue)));
    const workers = Array.from({ length: this.workers }, () => this.worker(queue, term.signal));
    this.run = { queue, term, workers, unsubscribe };
    this.log.info({ workers: this.workers, generation }, 'controller started');
  }

  /**
   * Stops taking keys, and cancels a start still waiting for caches. In-progress reconciles get
   * `graceMs` to finish (default 0: their signals abort at once, as when leadership is lost); then
   * their signals abort. Resolves when every worker is idle.
   */
  async stop(opts: { graceMs?: number } = {}): Promise<void> {
    this.generation++;
    this.starting?.abort(new Error(`controller ${this.name} stopped before its caches synced`));
    this.starting = undefined;
    const run = this.run;
    if (!run) return;
    this.run = undefined;
    for (const u of run.unsubscribe) u();
    const drained = run.queue.shutdown();
    const grace = opts.graceMs ?? 0;
    if (grace > 0) {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<void>((r) => (timer = setTimeout(r, grace)));
      await Promise.race([drained, expired]);
      clearTimeout(timer);
    }
    run.term.abort(new Error(`controller ${this.name} stopped`));
    await Promise.all(run.workers);
    this.log.info('controller stopped');
  }

  private source<T extends KubeObject>(
    informer: Informer<T>,
    map: (obj: T) => Request[],
    predicate: Predicate<T> | undefined,
  ): this {
    if (this.run) throw new Error(`${this.name}: add sources before start()`);
    this.sources.push({
      informer: informer as unknown as Informer<KubeObject>,
      map: map as (obj: KubeObject) => Request[],
      predicate: predicate as Predicate<KubeObject> | undefined,
    });
    return this;
  }

  private handler(s: Source, queue: WorkQueue): EventHandler<KubeObject> {
    const add = (obj: KubeObject) => {
      for (const req of s.map(obj)) queue.add(requestKey(req));
    };
    return {
      add: (obj) => (!s.predicate || s.predicate({ type: 'add', obj })) && add(obj),
      update: (old, obj) => {
        if (s.predicate && !s.predicate({ type: 'update', obj, old })) return;
        if (old !== obj) add(old); // an owner or label may have moved: the old key converges too
        add(obj);
      },
      delete: (obj) => (!s.predicate || s.predicate({ type: 'delete', obj })) && add(obj),
    };
  }

  private async worker(queue: WorkQueue, term: AbortSignal): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await this.reconcileKey(queue, key, term);
      } finally {
        queue.done(key);
      }
    }
  }

  private async reconcileKey(queue: WorkQueue, key: string, term: AbortSignal): Promise<void> {
    const name = this.name;
    const req = parseRequestKey(key);
    const reconcileID = randomUUID();
    const log = this.log.child({ key, reconcileID });
    const timeoutMs = this.opts.reconcileTimeoutMs ?? 60_000;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error(`reconcile timed out after ${timeoutMs} ms`)), timeoutMs);
    const signal = AbortSignal.any([term, timeout.signal]);
    const started = this.clock.now();
    this.metrics.activeWorkers.inc({ controller: name });
    try {
      const result = await reconcileScope.run(signal, () => this.opts.reconcile(req, { signal, log, reconcileID }));
      const after = result?.requeueAfterMs ?? 0;
      queue.forget(key);
      if (after > 0) {
        queue.addAfter(key, after);
        this.metrics.reconcileTotal.inc({ controller: name, result: 'requeue_after' });
        log.debug({ requeueAfterMs: after }, 'reconciled; checking again later');
      } else {
        this.metrics.reconcileTotal.inc({ controller: name, result: 'success' });
        log.debug('reconciled');
      }
    } catch (err) {
      if (term.aborted) {
        // Not a failure of the object: the controller is stopping (shutdown, or leadership lost).
        log.info({ err: (err as Error).message }, 'reconcile aborted: the controller is stopping');
        return;
      }
      this.metrics.reconcileTotal.inc({ controller: name, result: 'error' });
      this.metrics.reconcileErrors.inc({ controller: name });
      if (isTerminal(err)) {
        this.metrics.terminalErrors.inc({ controller: name });
        queue.forget(key);
        log.error({ err }, 'reconcile failed with a terminal error; not retrying until the object changes');
      } else {
        if (isProgrammingError(err)) this.metrics.reconcilePanics.inc({ controller: name });
        const retryAfter = err instanceof KubeApiError ? (err.retryAfterMs ?? 0) : 0;
        queue.addRateLimited(key, retryAfter);
        const why = timeout.signal.aborted ? `timed out after ${timeoutMs} ms` : 'failed';
        log.error({ err, retries: queue.numRequeues(key) }, `reconcile ${why}; retrying with backoff`);
      }
    } finally {
      clearTimeout(timer);
      this.metrics.reconcileTime.observe({ controller: name }, (this.clock.now() - started) / 1000);
      this.metrics.activeWorkers.dec({ controller: name });
    }
  }
}

/** A TerminalError, or an error caused by one. */
export function isTerminal(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof TerminalError) return true;
  }
  return false;
}

/** The JavaScript counterpart of a Go panic: a bug, not a failed call. */
function isProgrammingError(err: unknown): boolean {
  return !(err instanceof Error) || err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError || err instanceof SyntaxError;
}

/** Passes adds, deletes and updates that change metadata.generation (spec changes), not status-only churn. */
export const generationChanged: Predicate<KubeObject> = (ev) =>
  ev.type !== 'update' || ev.old?.metadata?.generation !== ev.obj.metadata?.generation;
