import { requestKey, type KubeObject, type Request } from '@image-registry/controller-runtime';

/**
 * Objects this process wrote that its cache has not shown yet. A reconcile that runs again before the
 * watch event arrives must see its own write, or it would inject a second secret name or mint a second
 * token. Entries go as soon as the cache catches up (resourceVersions are etcd revisions and only grow).
 */
export class WrittenObjects<T extends KubeObject> {
  private readonly byKey = new Map<string, { obj: T; at: number }>();
  private readonly now: () => number;
  private readonly unseenTtlMs: number;

  /**
   * `unseenTtlMs`: how long an object we wrote counts as existing while the cache does not show it at all
   * (just created; 30 s). After that the cache's word is taken: it was deleted since.
   */
  constructor(opts: { now?: () => number; unseenTtlMs?: number } = {}) {
    this.now = opts.now ?? (() => performance.now());
    this.unseenTtlMs = opts.unseenTtlMs ?? 30_000;
  }

  remember(obj: T): void {
    const m = obj.metadata;
    if (!m?.name) return;
    this.byKey.set(requestKey(m.namespace ? { namespace: m.namespace, name: m.name } : { name: m.name }), { obj, at: this.now() });
  }

  forget(req: Request): void {
    this.byKey.delete(requestKey(req));
  }

  /** The newer of the cached object and the one written; undefined when the cache says it is gone. */
  newest(req: Request, cached: T | undefined): T | undefined {
    const key = requestKey(req);
    const entry = this.byKey.get(key);
    if (!entry) return cached;
    const written = entry.obj;
    if (!cached && this.now() - entry.at < this.unseenTtlMs) return written; // created; the watch event is on its way
    if (!cached || cached.metadata?.uid !== written.metadata?.uid) {
      // Gone, or a new incarnation: the cache is the truth.
      this.byKey.delete(key);
      return cached;
    }
    const c = revision(cached);
    const w = revision(written);
    if (c !== undefined && w !== undefined && w > c) return written;
    this.byKey.delete(key);
    return cached;
  }

  get size(): number {
    return this.byKey.size;
  }
}

function revision(obj: KubeObject): bigint | undefined {
  const rv = obj.metadata?.resourceVersion;
  return rv && /^\d+$/.test(rv) ? BigInt(rv) : undefined;
}
