import type { Clock } from '@image-registry/controller-runtime';

export interface ReviewCacheOptions {
  /** Most entries kept; the least recently used go first. */
  maxEntries: number;
  clock: Pick<Clock, 'now'>;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A bounded, time-limited cache of review answers with one call in flight per key: the parallel
 * requests of a layer-heavy pull wait for the same review instead of each sending one. Keys are
 * digests computed by the caller, never tokens. Failures are not cached.
 */
export class ReviewCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly inFlight = new Map<string, Promise<V>>();
  private readonly maxEntries: number;
  private readonly clock: Pick<Clock, 'now'>;

  constructor(opts: ReviewCacheOptions) {
    this.maxEntries = Math.max(1, opts.maxEntries);
    this.clock = opts.clock;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The fresh cached value, or undefined. A hit moves the key to the young end. */
  peek(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /**
   * The cached value (`hit: true`), else the value of `load`, shared with every concurrent caller of the
   * same key and kept for `ttlMs(value)` (0: not kept).
   */
  async get(key: string, load: () => Promise<V>, ttlMs: (value: V) => number): Promise<{ value: V; hit: boolean }> {
    const cached = this.peek(key);
    if (cached !== undefined) return { value: cached, hit: true };
    const pending = this.inFlight.get(key);
    if (pending) return { value: await pending, hit: true };
    const promise = load().then((value) => {
      const ttl = ttlMs(value);
      if (ttl > 0) this.set(key, value, ttl);
      return value;
    });
    this.inFlight.set(key, promise);
    try {
      return { value: await promise, hit: false };
    } finally {
      this.inFlight.delete(key);
    }
  }

  private set(key: string, value: V, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.clock.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
