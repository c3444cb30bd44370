import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { applyIsNoop } from './apply-noop.ts';
import { sleep } from './clock.ts';
import { Credentials } from './credentials.ts';
import type { ClusterAccess } from './kubeconfig.ts';
import { KubeTransportError, isGone, type KubeStatus } from './errors.ts';
import { runtimeMetrics, type RuntimeMetrics } from './metrics.ts';
import { OwnWrites } from './own-writes.ts';
import { requestKey, type KubeObject, type Request } from './objects.ts';
import { effectiveSignal } from './reconcile-scope.ts';
import { collectionPath, objectPath, resourceId, type ResourceType } from './resources.ts';
import { Transport, apiError, type HttpRequest, type HttpResponse } from './transport.ts';

export interface KubeClientOptions {
  /** A client-node KubeConfig, or loadKubeConfig's lighter reader. */
  kubeConfig: ClusterAccess;
  /** The server-side-apply field manager, one per app: `image-registry-operator/<app>`. */
  fieldManager: string;
  /** Where rest_client_* and apply_skipped_total go (default: a private registry). */
  registry?: Registry;
  logger?: Logger;
  /** Deadline of each non-watch request (default 30 s). */
  requestTimeoutMs?: number;
  /** Retries of a request the server throttled (429, or 5xx with Retry-After) (default 5). */
  maxRetries?: number;
  /** The longest single Retry-After wait inside one request; longer ones fail and requeue (default 10 s). */
  maxRetryWaitMs?: number;
  /** The largest response body read into memory (default 256 MiB). */
  maxResponseBytes?: number;
  /** The longest watch event line (default 16 MiB). */
  maxWatchLineBytes?: number;
}

export interface CallOptions {
  /** Cancels the request; inside a reconcile the reconcile's own signal applies too. */
  signal?: AbortSignal;
}

export interface ListOptions extends CallOptions {
  /** All namespaces when omitted (namespaced resources). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size (default 500). */
  limit?: number;
}

export interface ApplyOptions extends CallOptions {
  /**
   * Take ownership of conflicting fields (default true). The desired object must hold only fields this
   * app owns, so forcing never takes another manager's fields; pass false to be told (409) instead.
   */
  force?: boolean;
  /**
   * The object as last seen, to skip a no-op apply. Default: the manager's cache, when it has an informer
   * for this resource. `null` always sends the request.
   */
  current?: KubeObject | null;
}

export interface DeleteOptions extends CallOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  /** Delete only this incarnation / version of the object. */
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export interface WatchOptions extends CallOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  /** Ask the server to end the watch after this long (default 5 min); the informer re-watches. */
  timeoutSeconds?: number;
  /**
   * Abort when no byte arrives for this long, counted from before the request (default: the server
   * timeout plus 30 s). Bookmarks come only when the server's revision moves, so a quiet watch may
   * stay silent until its server timeout.
   */
  idleTimeoutMs?: number;
  /** Called when the server has accepted the watch (response headers with 200). */
  onOpen?: () => void;
}

/** Looks an object up in the manager's informer caches; undefined when no informer holds it. */
export type CacheLookup = (res: ResourceType, key: Request) => KubeObject | undefined;

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
}

/**
 * A small typed REST client over raw JSON: every read and write an app makes goes through it, and every
 * request is counted in `rest_client_requests_total{verb,code}`. Writes are server-side applies with
 * the app's field manager; `apply` sends nothing when the cache shows it would change nothing.
 */
export class KubeClient {
  readonly fieldManager: string;
  /** Holds rest_client_* here and, through the Manager, every other runtime metric. */
  readonly registry: Registry;
  readonly metrics: RuntimeMetrics;
  private readonly transport: Transport;
  private readonly credentials: Credentials;
  private readonly requestTimeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryWaitMs: number;
  private readonly logger: Logger | undefined;
  private cacheLookup: CacheLookup | undefined;
  /**
   * What this client's writes returned, per cached resource type, until the watch delivers them: the no-op
   * check reads past a lagging cache. Only types the Manager caches (trackWrites) are kept.
   */
  private readonly written = new Map<string, OwnWrites>();
  private writeGuard: (() => number | void) | undefined;

  constructor(opts: KubeClientOptions) {
    this.fieldManager = opts.fieldManager;
    this.registry = opts.registry ?? new Registry();
    this.metrics = runtimeMetrics(this.registry);
    this.credentials = new Credentials(opts.kubeConfig);
    this.transport = new Transport({
      credentials: this.credentials,
      metrics: this.metrics,
      userAgent: opts.fieldManager,
      now: () => Date.now(),
      ...(opts.maxResponseBytes ? { maxBodyBytes: opts.maxResponseBytes } : {}),
      ...(opts.maxWatchLineBytes ? { maxWatchLineBytes: opts.maxWatchLineBytes } : {}),
    });
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.maxRetries = opts.maxRetries ?? 5;
    this.maxRetryWaitMs = opts.maxRetryWaitMs ?? 10_000;
    this.logger = opts.logger;
  }

  /** The object, or undefined when it does not exist. */
  async get<T extends KubeObject>(res: ResourceType<T>, key: Request, opts: CallOptions = {}): Promise<T | undefined> {
    const path = objectPath(res, key.name, key.namespace);
    const r = await this.call({ verb: 'get', method: 'GET', path, signal: opts.signal }, [404]);
    return r.status === 404 ? undefined : withType(res, r.body as T);
  }

  /** Every matching object (all pages), each with apiVersion and kind filled in. */
  async list<T extends KubeObject>(res: ResourceType<T>, opts: ListOptions = {}): Promise<ListResult<T>> {
    const path = collectionPath(res, opts.namespace);
    const base = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
    let limit: number | undefined = opts.limit ?? 500;
    for (;;) {
      const items: T[] = [];
      let cont: string | undefined;
      let resourceVersion = '';
      try {
        do {
          const query = { ...base, limit, continue: cont };
          const r = await this.call({ verb: 'list', method: 'GET', path, query, signal: opts.signal });
          const body = r.body as { items?: T[]; metadata?: { continue?: string; resourceVersion?: string } };
          for (const item of body.items ?? []) items.push(withType(res, item));
          cont = body.metadata?.continue || undefined;
          resourceVersion = body.metadata?.resourceVersion ?? '';
        } while (cont);
        return { items, resourceVersion };
      } catch (err) {
        // The continue token expired mid-way (410): list again in one piece, like client-go.
        if (cont !== undefined && isGone(err) && limit !== undefined) {
          limit = undefined;
          continue;
        }
        throw err;
      }
    }
  }

  async create<T extends KubeObject>(res: ResourceType<T>, obj: T, opts: CallOptions = {}): Promise<T> {
    const path = collectionPath(res, obj.metadata?.namespace);
    const query = { fieldManager: this.fieldManager };
    const r = await this.call({ verb: 'create', method: 'POST', path, query, body: bodyOf(res, obj), signal: opts.signal }, [], true);
    return withType(res, r.body as T);
  }

  /**
   * POST to a subresource (`serviceaccounts/<name>/token`, `pods/<name>/eviction`): the body and the
   * answer are the subresource's own types.
   */
  async createSubresource<R>(res: ResourceType, key: Request, subresource: string, body: unknown, opts: CallOptions = {}): Promise<R> {
    const path = objectPath(res, key.name, key.namespace, subresource);
    const r = await this.call({ verb: 'create', method: 'POST', path, body, signal: opts.signal }, [], true);
    return r.body as R;
  }

  /** PUT with optimistic concurrency (metadata.resourceVersion): 409 when the object changed meanwhile. */
  async update<T extends KubeObject>(res: ResourceType<T>, obj: T, opts: CallOptions & { subresource?: string } = {}): Promise<T> {
    const name = requireName(obj);
    const path = objectPath(res, name, obj.metadata?.namespace, opts.subresource);
    const query = { fieldManager: this.fieldManager };
    const r = await this.call({ verb: 'update', method: 'PUT', path, query, body: bodyOf(res, obj), signal: opts.signal }, [], true);
    return this.remember(res, withType(res, r.body as T));
  }

  /**
   * Server-side apply of `desired` (only the fields this app owns) with the app's field manager.
   * Skipped, returning the cached object, when the cache shows the apply would change nothing.
   */
  apply<T extends KubeObject>(res: ResourceType<T>, desired: T, opts: ApplyOptions = {}): Promise<T> {
    return this.applyTo(res, desired, undefined, opts);
  }

  /** Server-side apply to the `/status` subresource (skipped the same way as `apply`). */
  applyStatus<T extends KubeObject>(res: ResourceType<T>, desired: T, opts: ApplyOptions = {}): Promise<T> {
    return this.applyTo(res, desired, 'status', opts);
  }

  /** A JSON merge patch or JSON patch, for the rare write that cannot be an apply. */
  async patch<T extends KubeObject>(
    res: ResourceType<T>,
    key: Request,
    patch: unknown,
    opts: CallOptions & { type?: 'merge' | 'json'; subresource?: string } = {},
  ): Promise<T> {
    const path = objectPath(res, key.name, key.namespace, opts.subresource);
    const contentType = opts.type === 'json' ? 'application/json-patch+json' : 'application/merge-patch+json';
    const query = { fieldManager: this.fieldManager };
    const r = await this.call({ verb: 'patch', method: 'PATCH', path, query, body: patch, contentType, signal: opts.signal }, [], true);
    return this.remember(res, withType(res, r.body as T));
  }

  /** Deletes the object; false when it was already gone. */
  async delete(res: ResourceType, key: Request, opts: DeleteOptions = {}): Promise<boolean> {
    const path = objectPath(res, key.name, key.namespace);
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}),
      ...(opts.preconditions ? { preconditions: opts.preconditions } : {}),
    };
    const r = await this.call({ verb: 'delete', method: 'DELETE', path, body, signal: opts.signal }, [404], true);
    this.written.get(resourceId(res))?.forget(key);
    return r.status !== 404;
  }

  /** Whether the API server serves this resource (an optional API such as routes.route.openshift.io). */
  async serves(res: ResourceType, opts: CallOptions = {}): Promise<boolean> {
    const path = res.apiVersion.includes('/') ? `/apis/${res.apiVersion}` : `/api/${res.apiVersion}`;
    const r = await this.call({ verb: 'get', method: 'GET', path, signal: opts.signal }, [404]);
    if (r.status === 404) return false;
    const list = r.body as { resources?: { name?: string }[] };
    return (list.resources ?? []).some((x) => x.name === res.plural);
  }

  /**
   * One watch request from `resourceVersion`: `onEvent` runs for each event; resolves when the server
   * ends the watch. The informer is the normal user; reconcilers read the cache instead.
   */
  async watch<T extends KubeObject>(
    res: ResourceType<T>,
    opts: WatchOptions,
    onEvent: (event: WatchEvent<T | KubeStatus>) => void,
  ): Promise<void> {
    const path = collectionPath(res, opts.namespace);
    const query = {
      watch: 1,
      allowWatchBookmarks: true,
      resourceVersion: opts.resourceVersion,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      timeoutSeconds: opts.timeoutSeconds ?? 300,
    };
    const idleMs = opts.idleTimeoutMs ?? query.timeoutSeconds * 1000 + 30_000;
    const req: HttpRequest = { verb: 'watch', method: 'GET', path, query, signal: opts.signal, timeoutMs: undefined };
    await this.transport.stream(req, idleMs, (line) => {
      const ev = line as WatchEvent<T | KubeStatus>;
      if (ev.type !== 'ERROR' && ev.type !== 'BOOKMARK') withType(res, ev.object as T);
      onEvent(ev);
    }, opts.onOpen);
  }

  /** Raw escape hatch for anything the typed calls do not cover; still counted and retried. */
  async request<R = unknown>(init: HttpRequest & { write?: boolean }): Promise<R> {
    const r = await this.call(init, [], init.write ?? init.method !== 'GET');
    return r.body as R;
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.credentials.close();
  }

  /** @internal Used by the Manager: the cache that lets `apply` skip no-op writes. */
  setCacheLookup(lookup: CacheLookup | undefined): void {
    this.cacheLookup = lookup;
  }

  /**
   * @internal Used by the Manager: throws when this process must not write (it is not the leader);
   * may return how long the write may take at most (what is left of the leadership term).
   */
  setWriteGuard(guard: (() => number | void) | undefined): void {
    this.writeGuard = guard;
  }

  /** @internal The leader elector's own Lease writes bypass the write guard. */
  async leaseRequest(init: HttpRequest, allow: number[] = []): Promise<HttpResponse> {
    return this.call(init, allow, false);
  }

  private async applyTo<T extends KubeObject>(
    res: ResourceType<T>,
    desired: T,
    subresource: 'status' | undefined,
    opts: ApplyOptions,
  ): Promise<T> {
    const name = requireName(desired);
    const key: Request = desired.metadata?.namespace ? { namespace: desired.metadata.namespace, name } : { name };
    const body = bodyOf(res, desired);
    const current = opts.current === undefined ? this.cached(res, key) : (opts.current ?? undefined);
    if (current && applyIsNoop(body, current, this.fieldManager, subresource)) {
      this.metrics.applySkipped.inc({ kind: res.kind });
      this.logger?.trace({ kind: res.kind, object: requestKey(key), subresource }, 'apply skipped: no change');
      return current as T;
    }
    const path = objectPath(res, name, key.namespace, subresource);
    const query = { fieldManager: this.fieldManager, force: opts.force ?? true };
    const r = await this.call(
      { verb: 'apply', method: 'PATCH', path, query, body, contentType: 'application/apply-patch+yaml', signal: opts.signal },
      [],
      true,
    );
    return this.remember(res, withType(res, r.body as T));
  }

  /**
   * The cache's copy, or this client's last write when that is newer. Without it a second pass that
   * runs before the watch delivers our own write (a Deployment event right after the apply) saw the old
   * object and applied the same budget again.
   */
  private cached(res: ResourceType, key: Request): KubeObject | undefined {
    if (!this.cacheLookup) return undefined;
    const fromCache = this.cacheLookup(res, key);
    const writes = this.written.get(resourceId(res));
    return writes ? writes.current(key, fromCache) : fromCache;
  }

  private remember<T extends KubeObject>(res: ResourceType, obj: T): T {
    this.written.get(resourceId(res))?.remember(obj);
    return obj;
  }

  /** @internal Used by the Manager: `res` is cached, so remember this client's writes of it until observed. */
  trackWrites(res: ResourceType): void {
    const id = resourceId(res);
    if (!this.written.has(id)) this.written.set(id, new OwnWrites());
  }

  /**
   * @internal Used by the Manager for every cache event: the cache now holds `obj` (undefined: deleted), so a
   * remembered write no newer than it is dropped. Memory holds only writes the watch has not delivered yet.
   */
  observed(res: ResourceType, key: Request, obj: KubeObject | undefined): void {
    this.written.get(resourceId(res))?.current(key, obj);
  }

  /** Sends with retries on throttling and a credential refresh on 401; `allow` lists non-2xx codes to return. */
  private async call(init: HttpRequest, allow: number[] = [], write = false): Promise<HttpResponse> {
    const signal = effectiveSignal(init.signal);
    const timeoutMs = init.timeoutMs ?? this.requestTimeoutMs;
    const req: HttpRequest = { ...init, signal, timeoutMs };
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      // Checked before every attempt: leadership can be lost while we wait to retry.
      const left = write ? this.writeGuard?.() : undefined;
      req.timeoutMs = typeof left === 'number' ? Math.max(1, Math.floor(Math.min(timeoutMs, left))) : timeoutMs;
      let r: HttpResponse;
      try {
        r = await this.transport.send(req);
      } catch (err) {
        if (err instanceof KubeTransportError || signal?.aborted) throw err;
        throw new KubeTransportError(`${req.verb} ${req.path}: ${(err as Error).message}`, { cause: err });
      }
      if ((r.status >= 200 && r.status < 300) || allow.includes(r.status)) return r;
      if (r.status === 401 && !refreshed) {
        refreshed = true;
        this.credentials.invalidate();
        continue;
      }
      const err = apiError(req, { statusCode: r.status, headers: r.headers }, r.body, Date.now());
      const throttled = r.status === 429 || (r.status >= 500 && err.retryAfterMs !== undefined);
      if (!throttled || attempt >= this.maxRetries) throw err;
      const wait = err.retryAfterMs ?? 1000;
      if (wait > this.maxRetryWaitMs) throw err;
      this.logger?.debug({ verb: req.verb, path: req.path, status: r.status, waitMs: wait }, 'API server asked to retry later');
      await sleep(wait, signal);
    }
  }
}

function requireName(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new TypeError(`a ${obj.kind ?? 'object'} needs metadata.name for this call`);
  return name;
}

/** A request body with apiVersion and kind, without touching the caller's object. */
function bodyOf<T extends KubeObject>(res: ResourceType, obj: T): T {
  return { ...obj, apiVersion: obj.apiVersion ?? res.apiVersion, kind: obj.kind ?? res.kind };
}

/** List items and watch objects may lack apiVersion/kind; the cache always has them. */
function withType<T extends KubeObject>(res: ResourceType, obj: T): T {
  if (obj && typeof obj === 'object') {
    if (!obj.apiVersion) obj.apiVersion = res.apiVersion;
    if (!obj.kind) obj.kind = res.kind;
  }
  return obj;
}

