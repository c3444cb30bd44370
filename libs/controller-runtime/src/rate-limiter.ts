import { systemClock, type Clock } from './clock.ts';

export interface RateLimiterOptions {
  /** First retry delay of a failing key (default 5 ms); doubles per consecutive failure. */
  baseDelayMs?: number;
  /** Longest per-key delay (default 1000 s). */
  maxDelayMs?: number;
  /** Overall retry rate across all keys, per second (default 10). 0 disables the overall limit. */
  qps?: number;
  /** Retries allowed in a burst above `qps` (default 100). */
  burst?: number;
  clock?: Clock;
}

/**
 * client-go's default controller rate limiter: the larger of a per-key exponential backoff and an
 * overall token bucket, so one failing key backs off alone and many failing keys cannot stampede.
 */
export class RateLimiter {
  private readonly base: number;
  private readonly max: number;
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private readonly failures = new Map<string, number>();
  private tokens: number;
  private last: number;

  constructor(opts: RateLimiterOptions = {}) {
    this.base = opts.baseDelayMs ?? 5;
    this.max = opts.maxDelayMs ?? 1_000_000;
    this.qps = opts.qps ?? 10;
    this.burst = opts.burst ?? 100;
    this.clock = opts.clock ?? systemClock;
    this.tokens = this.burst;
    this.last = this.clock.now();
  }

  /** The delay before `key` may be retried; counts one more failure. */
  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const perKey = Math.min(this.max, this.base * 2 ** n);
    return Math.max(perKey, this.reserve());
  }

  /** Failures counted for `key` since the last `forget`. */
  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** The key succeeded: its next failure starts again at the base delay. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  private reserve(): number {
    if (this.qps <= 0) return 0;
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }
}
