import { systemClock, type Clock } from './clock.ts';
import type { RuntimeMetrics } from './metrics.ts';
import { RateLimiter, type RateLimiterOptions } from './rate-limiter.ts';

export interface WorkQueueOptions {
  /** The `name` (and `controller`) label of the workqueue_* metrics. */
  name: string;
  rateLimiter?: RateLimiter | RateLimiterOptions;
  metrics?: RuntimeMetrics;
  clock?: Clock;
}

interface Delayed {
  at: number;
  key: string;
}

/**
 * client-go's work queue semantics for string keys:
 * - a key is queued at most once (adds while queued are merged);
 * - a key is never handed to two workers at once: an add while it is processing is remembered and the
 *   key comes back after `done`;
 * - `addAfter` keeps the earliest time per key; `addRateLimited` backs off per key;
 * - `shutdown` stops intake and resolves when the work in progress is done.
 */
export class WorkQueue {
  readonly name: string;
  readonly rateLimiter: RateLimiter;
  private readonly metrics: RuntimeMetrics | undefined;
  private readonly clock: Clock;
  private readonly queue = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly processing = new Map<string, number>();
  private readonly addedAt = new Map<string, number>();
  private readonly waiting = new Map<string, number>();
  private heap: Delayed[] = [];
  private timer: { at: number; handle: NodeJS.Timeout } | undefined;
  private getters: ((key: string | undefined) => void)[] = [];
  private idle: (() => void)[] = [];
  private stopping = false;
  private handoff = false;
  private readonly labels: { name: string; controller: string };
  private readonly removeProbe: (() => void) | undefined;

  constructor(opts: WorkQueueOptions) {
    this.name = opts.name;
    this.clock = opts.clock ?? systemClock;
    this.rateLimiter =
      opts.rateLimiter instanceof RateLimiter ? opts.rateLimiter : new RateLimiter({ clock: this.clock, ...opts.rateLimiter });
    this.metrics = opts.metrics;
    this.labels = { name: opts.name, controller: opts.name };
    this.metrics?.initQueue(opts.name);
    this.removeProbe = this.metrics?.addProbe({ name: opts.name, inFlightSeconds: () => this.inFlightSeconds() });
  }

  /** Keys waiting to be handed out (not counting delayed or in-progress ones). */
  get length(): number {
    return this.queue.size;
  }

  get shuttingDown(): boolean {
    return this.stopping;
  }

  add(key: string): void {
    if (this.stopping || this.dirty.has(key)) return;
    this.dirty.add(key);
    this.addedAt.set(key, this.clock.now());
    this.metrics?.queueAdds.inc(this.labels);
    if (this.processing.has(key)) return;
    this.enqueue(key);
  }

  /** Adds `key` once `delayMs` has passed; an earlier pending time for the same key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.stopping) return;
    if (delayMs <= 0) return this.add(key);
    const at = this.clock.now() + delayMs;
    const pending = this.waiting.get(key);
    if (pending !== undefined && pending <= at) return;
    this.waiting.set(key, at);
    push(this.heap, { at, key });
    this.arm();
  }

  /** Adds `key` after its backoff (and at least `minDelayMs`, e.g. a server's Retry-After). */
  addRateLimited(key: string, minDelayMs = 0): void {
    if (this.stopping) return;
    this.metrics?.queueRetries.inc(this.labels);
    this.addAfter(key, Math.max(minDelayMs, this.rateLimiter.when(key)));
  }

  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** The next key to process (call `done` after); undefined once the queue shuts down. */
  get(): Promise<string | undefined> {
    if (this.stopping) return Promise.resolve(undefined);
    const key = this.take();
    if (key !== undefined) return Promise.resolve(key);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Marks `key` processed; if it was added meanwhile it is queued again. */
  done(key: string): void {
    const started = this.processing.get(key);
    if (started === undefined) return;
    this.processing.delete(key);
    this.metrics?.workDuration.observe(this.labels, (this.clock.now() - started) / 1000);
    if (!this.stopping && this.dirty.has(key)) this.enqueue(key);
    if (this.processing.size === 0) {
      const idle = this.idle;
      this.idle = [];
      for (const f of idle) f();
    }
  }

  /** Stops intake (queued and delayed keys are dropped); resolves when in-progress keys are done. */
  shutdown(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      if (this.timer) clearTimeout(this.timer.handle);
      this.timer = undefined;
      this.heap = [];
      this.waiting.clear();
      this.queue.clear();
      this.dirty.clear();
      this.metrics?.queueDepth.set(this.labels, 0);
      for (const g of this.getters) g(undefined);
      this.getters = [];
      this.removeProbe?.();
    }
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private enqueue(key: string): void {
    this.queue.add(key);
    this.metrics?.queueDepth.set(this.labels, this.queue.size);
    // Hand keys to waiting workers on the next microtask, so adds made in one go still merge.
    if (this.getters.length > 0 && !this.handoff) {
      this.handoff = true;
      queueMicrotask(() => {
        this.handoff = false;
        while (this.getters.length > 0 && this.queue.size > 0) this.getters.shift()?.(this.take());
      });
    }
  }

  private take(): string | undefined {
    const first = this.queue.values().next();
    if (first.done) return undefined;
    const key = first.value;
    this.queue.delete(key);
    this.dirty.delete(key);
    const now = this.clock.now();
    this.processing.set(key, now);
    const added = this.addedAt.get(key);
    this.addedAt.delete(key);
    if (added !== undefined) this.metrics?.queueDuration.observe(this.labels, (now - added) / 1000);
    this.metrics?.queueDepth.set(this.labels, this.queue.size);
    return key;
  }

  private arm(): void {
    const top = this.heap[0];
    if (!top || (this.timer && this.timer.at <= top.at)) return;
    if (this.timer) clearTimeout(this.timer.handle);
    const at = top.at;
    const handle = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, Math.max(0, at - this.clock.now()));
    this.timer = { at, handle };
  }

  private fire(): void {
    const now = this.clock.now();
    for (let top = this.heap[0]; top && top.at <= now; top = this.heap[0]) {
      pop(this.heap);
      if (this.waiting.get(top.key) !== top.at) continue; // superseded by an earlier time
      this.waiting.delete(top.key);
      this.add(top.key);
    }
    this.arm();
  }

  private inFlightSeconds(): { total: number; longest: number } {
    const now = this.clock.now();
    let total = 0;
    let longest = 0;
    for (const started of this.processing.values()) {
      const s = (now - started) / 1000;
      total += s;
      longest = Math.max(longest, s);
    }
    return { total, longest };
  }
}

// A binary min-heap on `at`: one timer for all delayed keys instead of one per key.
function push(heap: Delayed[], item: Delayed): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if ((heap[parent] as Delayed).at <= item.at) break;
    heap[i] = heap[parent] as Delayed;
    i = parent;
  }
  heap[i] = item;
}

function pop(heap: Delayed[]): Delayed | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length === 0 || !last) return top;
  const n = heap.length;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    let mAt = last.at;
    if (l < n && (heap[l] as Delayed).at < mAt) {
      m = l;
      mAt = (heap[l] as Delayed).at;
    }
    if (r < n && (heap[r] as Delayed).at < mAt) m = r;
    if (m === i) break;
    heap[i] = heap[m] as Delayed;
    i = m;
  }
  heap[i] = last;
  return top;
}
