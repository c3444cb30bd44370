import type { Logger } from 'pino';
import { sleep, systemClock, type Clock } from './clock.ts';
import { KubeApiError, isGone, type KubeStatus } from './errors.ts';
import type { ListResult, WatchEvent, WatchOptions } from './kube-client.ts';
import { silentLogger } from './logger.ts';
import { objectKey, requestKey, type KubeObject, type Request } from './objects.ts';
import { resourceId, type ResourceType } from './resources.ts';
import { Store, type StoreQuery } from './store.ts';

/** The part of KubeClient an informer needs (a fake in unit tests). */
export interface ListWatcher {
  list<T extends KubeObject>(
    res: ResourceType<T>,
    opts: { namespace?: string; labelSelector?: string; fieldSelector?: string; signal?: AbortSignal },
  ): Promise<ListResult<T>>;
  watch<T extends KubeObject>(
    res: ResourceType<T>,
    opts: WatchOptions,
    onEvent: (event: WatchEvent<T | KubeStatus>) => void,
  ): Promise<void>;
}

export interface EventHandler<T> {
  add?(obj: T): void;
  /** Also called for every cached object on a resync, with `old === obj`. */
  update?(old: T, obj: T): void;
  /** `obj` is the last state seen (after a relist, possibly older than the deletion). */
  delete?(obj: T): void;
}

export interface InformerOptions<T extends KubeObject> {
  client: ListWatcher;
  resource: ResourceType<T>;
  /** Watch one namespace; all namespaces when omitted (namespaced resources). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Label keys to index for `byLabel` (default none). */
  indexLabels?: string[];
  /**
   * Trims each object before it is cached (drop fields no reconcile reads, to save memory).
   * Keep metadata.managedFields if the app applies this resource: the no-op apply check reads it.
   */
  transform?: (obj: T) => T;
  /** Calls every handler's `update` for each cached object this often (default 0: never). */
  resyncPeriodMs?: number;
  /** Restart delay after a failure: doubles from `initialMs` to `maxMs` (default 1 s → 30 s). */
  backoff?: { initialMs?: number; maxMs?: number };
  /**
   * Ask the server to end each watch after this long times 1–2 (default 300 s, as client-go). A quiet
   * resource sends nothing in between (bookmarks come only when the server's revision moves), so the
   * server's own timeout is the heartbeat of a healthy watch.
   */
  watchTimeoutSeconds?: number;
  /**
   * A watch with no byte for this long, counted from before the request, is stalled and restarted
   * (default: the watch's own server timeout plus 30 s, so a healthy quiet watch always ends first).
   */
  idleTimeoutMs?: number;
  logger?: Logger;
  clock?: Clock;
}

/**
 * A list+watch cache of one resource, the way client-go's reflector keeps one: list, then watch from
 * the list's resourceVersion; relist on 410 Gone; any other failure or a silent stall restarts the
 * watch after an exponential backoff. Objects are raw JSON as the server sent them. Never mutate them.
 */
export class Informer<T extends KubeObject = KubeObject> {
  readonly resource: ResourceType<T>;
  readonly namespace: string | undefined;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
  private readonly opts: InformerOptions<T>;
  private readonly store: Store<T>;
  private readonly handlers = new Set<EventHandler<T>>();
  private readonly log: Logger;
  private readonly clock: Clock;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  /** When the server last showed it answers this informer (a list, an accepted watch, an event, a clean end). */
  private progressAt: number | undefined;

  constructor(opts: InformerOptions<T>) {
    this.opts = opts;
    this.resource = opts.resource;
    this.namespace = opts.resource.namespaced ? opts.namespace : undefined;
    this.labelSelector = opts.labelSelector;
    this.fieldSelector = opts.fieldSelector;
    this.store = new Store<T>(opts.indexLabels);
    this.clock = opts.clock ?? systemClock;
    this.log = (opts.logger ?? silentLogger()).child({
      informer: resourceId(opts.resource),
      ...(this.namespace ? { namespace: this.namespace } : {}),
    });
  }

  /** Subscribes to changes; objects already cached are delivered as `add` first. Returns the unsubscribe. */
  on(handler: EventHandler<T>): () => void {
    this.handlers.add(handler);
    if (this.synced) for (const obj of this.store.values()) safe(this.log, () => handler.add?.(obj));
    return () => this.handlers.delete(handler);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list has been cached; rejects if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.syncWaiters = this.syncWaiters.filter((w) => w !== done);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(done);
    });
  }

  get(key: Request | string): T | undefined {
    return this.store.get(typeof key === 'string' ? key : requestKey(key));
  }

  list(query?: StoreQuery): T[] {
    return this.store.list(query);
  }

  /** Cached objects with an owner reference to `uid`. */
  byOwner(uid: string): T[] {
    return this.store.ownedBy(uid);
  }

  /** Cached objects labelled `key=value` (`key` must be in `indexLabels`). */
  byLabel(key: string, value: string): T[] {
    return this.store.labelled(key, value);
  }

  get size(): number {
    return this.store.size;
  }

  /** Whether this informer's cache is the authority for `key` (its scope covers it). */
  covers(key: Request): boolean {
    return this.namespace === undefined || key.namespace === this.namespace;
  }

  /**
   * True when the informer has heard nothing from the server for several idle periods while running:
   * its cache may be frozen (a half-open connection, an unreachable API server). Liveness fails on it.
   */
  stalled(): boolean {
    if (!this.running || this.progressAt === undefined) return false;
    return this.clock.now() - this.progressAt > stalledAfterPeriods * this.maxIdleMs();
  }

  /** The longest a healthy watch may stay silent. */
  private maxIdleMs(): number {
    return this.opts.idleTimeoutMs ?? 2 * (this.opts.watchTimeoutSeconds ?? 300) * 1000 + idleMarginMs;
  }

  start(): void {
    if (this.running) return;
    this.progressAt = this.clock.now();
    this.abort = new AbortController();
    this.running = this.run(this.abort.signal);
    const period = this.opts.resyncPeriodMs ?? 0;
    if (period > 0) this.resyncTimer = setInterval(() => this.resync(), period);
  }

  async stop(): Promise<void> {
    clearInterval(this.resyncTimer);
    this.abort?.abort(new Error('informer stopped'));
    await this.running;
    this.running = undefined;
  }

  private resync(): void {
    if (!this.synced) return;
    for (const obj of this.store.values()) this.emit((h) => h.update?.(obj, obj));
  }

  private async run(signal: AbortSignal): Promise<void> {
    const initialMs = this.opts.backoff?.initialMs ?? 1000;
    const maxMs = this.opts.backoff?.maxMs ?? 30_000;
    const scope = { namespace: this.namespace, labelSelector: this.labelSelector, fieldSelector: this.fieldSelector };
    const progress = () => (this.progressAt = this.clock.now());
    let failures = 0;
    /** 410s in a row with no event between them: the first relists at once, the next ones back off. */
    let gone = 0;
    let rv: string | undefined;
    while (!signal.aborted) {
      let watchStarted = 0;
      try {
        if (rv === undefined) {
          const listed = await this.opts.client.list(this.resource, { ...scope, signal });
          rv = listed.resourceVersion;
          this.replace(listed.items);
          progress();
          failures = 0;
        }
        watchStarted = this.clock.now();
        const timeoutSeconds = Math.round((this.opts.watchTimeoutSeconds ?? 300) * (1 + Math.random()));
        const idleTimeoutMs = this.opts.idleTimeoutMs ?? timeoutSeconds * 1000 + idleMarginMs;
        await this.opts.client.watch(this.resource, { ...scope, resourceVersion: rv, timeoutSeconds, idleTimeoutMs, signal, onOpen: progress }, (ev) => {
          rv = this.apply(ev) ?? rv;
          progress();
          if (ev.type !== 'ERROR') gone = 0;
        });
        // The server ended the watch at its timeout: a healthy quiet watch, not an error.
        progress();
        gone = 0;
        failures = 0;
      } catch (err) {
        if (signal.aborted) break;
        if (isGone(err)) {
          // Our resourceVersion fell out of the server's window: list again, diffing against the cache.
          rv = undefined;
          const delay = gone === 0 ? 0 : Math.min(maxMs, initialMs * 2 ** (gone - 1));
          gone++;
          this.log.info({ err: (err as Error).message, retryInMs: delay }, 'resourceVersion expired; relisting');
          if (delay > 0) await sleep(delay, signal).catch(() => undefined);
          continue;
        }
        // A watch that stayed up a while was healthy: its end starts a fresh backoff.
        if (watchStarted && this.clock.now() - watchStarted >= 30_000) failures = 0;
        const delay = Math.min(maxMs, initialMs * 2 ** failures);
        failures++;
        this.log.warn({ err, retryInMs: delay, failures }, rv === undefined ? 'list failed' : 'watch failed');
        await sleep(delay, signal).catch(() => undefined);
      }
    }
  }

  /** Applies one watch event to the cache; returns the resourceVersion it carries. */
  private apply(ev: WatchEvent<T | KubeStatus>): string | undefined {
    if (ev.type === 'ERROR') {
      const status = ev.object as KubeStatus;
      throw new KubeApiError({ verb: 'watch', path: resourceId(this.resource), status: status.code ?? 500, body: status });
    }
    const obj = ev.object as T;
    const rv = obj.metadata?.resourceVersion;
    if (ev.type === 'BOOKMARK') return rv;
    if (ev.type === 'DELETED') {
      const old = this.store.delete(objectKey(obj));
      const last = this.transform(obj);
      if (old) this.emit((h) => h.delete?.(last));
      return rv;
    }
    const next = this.transform(obj);
    const old = this.store.set(next);
    if (old) this.emit((h) => h.update?.(old, next));
    else this.emit((h) => h.add?.(next));
    return rv;
  }

  /** Replaces the cache with a fresh list, emitting only what changed since the last one. */
  private replace(items: T[]): void {
    const seen = new Set<string>();
    for (const raw of items) {
      const obj = this.transform(raw);
      const key = objectKey(obj);
      seen.add(key);
      const old = this.store.get(key);
      if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) continue;
      this.store.set(obj);
      if (old) this.emit((h) => h.update?.(old, obj));
      else this.emit((h) => h.add?.(obj));
    }
    for (const key of [...this.store.keys()]) {
      if (seen.has(key)) continue;
      const old = this.store.delete(key);
      if (old) this.emit((h) => h.delete?.(old));
    }
    if (!this.synced) {
      this.synced = true;
      this.log.debug({ objects: this.store.size }, 'cache synced');
      const waiters = this.syncWaiters;
      this.syncWaiters = [];
      for (const w of waiters) w();
    }
  }

  private transform(obj: T): T {
    return this.opts.transform ? this.opts.transform(obj) : obj;
  }

  private emit(fn: (h: EventHandler<T>) => void): void {
    for (const h of this.handlers) safe(this.log, () => fn(h));
  }
}

/** How much longer than its server timeout a watch may stay silent before it counts as stalled. */
const idleMarginMs = 30_000;
/** Liveness fails after this many idle periods without a word from the server. */
const stalledAfterPeriods = 3;

/** A handler that throws must not break the informer (or the other handlers). */
function safe(log: Logger, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    log.error({ err }, 'event handler threw');
  }
}
