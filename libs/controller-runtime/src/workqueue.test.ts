import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runtimeMetrics } from './metrics.ts';
import { RateLimiter } from './rate-limiter.ts';
import { WorkQueue } from './workqueue.ts';

const clock = { now: () => Date.now() };

function queue(opts: { qps?: number } = {}) {
  const registry = new Registry();
  const q = new WorkQueue({ name: 'test', metrics: runtimeMetrics(registry), clock, rateLimiter: { clock, qps: opts.qps ?? 0 } });
  return { q, registry };
}

async function metric(registry: Registry, name: string): Promise<number> {
  const m = await registry.getSingleMetric(name)?.get();
  return m?.values.find((v) => !('le' in v.labels) && (v as { metricName?: string }).metricName !== `${name}_sum`)?.value ?? NaN;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('WorkQueue', () => {
  it('hands out a key added many times only once', async () => {
    const { q } = queue();
    q.add('a');
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    expect(q.length).toBe(0);
  });

  it('never hands a key to a second worker while the first is processing it', async () => {
    const { q } = queue();
    q.add('a');
    const first = await q.get();
    q.add('a'); // changed again while being processed
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await vi.advanceTimersByTimeAsync(10);
    expect(second).toBeUndefined();
    q.done(first as string);
    await vi.advanceTimersByTimeAsync(0);
    expect(second).toBe('a');
  });

  it('processes a key re-added during processing exactly once more after done', async () => {
    const { q } = queue();
    q.add('a');
    const k = await q.get();
    q.add('a');
    q.add('a');
    q.done(k as string);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe('a');
    q.done('a');
    expect(q.length).toBe(0);
  });

  it('delivers delayed keys in time order, keeping the earliest time per key', async () => {
    const { q } = queue();
    const got: string[] = [];
    const pump = async () => {
      for (;;) {
        const k = await q.get();
        if (k === undefined) return;
        got.push(`${k}@${Date.now() - start}`);
        q.done(k);
      }
    };
    const start = Date.now();
    void pump();
    q.addAfter('late', 300);
    q.addAfter('early', 100);
    q.addAfter('late', 200); // an earlier time for the same key wins
    q.addAfter('late', 500); // a later one is ignored
    await vi.advanceTimersByTimeAsync(1000);
    expect(got).toEqual(['early@100', 'late@200']);
    await q.shutdown();
  });

  it('backs a failing key off exponentially from 5 ms and caps the delay', () => {
    const rl = new RateLimiter({ clock, qps: 0, maxDelayMs: 1_000_000 });
    const delays = Array.from({ length: 30 }, () => rl.when('k'));
    expect(delays.slice(0, 5)).toEqual([5, 10, 20, 40, 80]);
    expect(Math.max(...delays)).toBe(1_000_000);
    expect(delays.at(-1)).toBe(1_000_000);
    expect(rl.numRequeues('k')).toBe(30);
    rl.forget('k');
    expect(rl.when('k')).toBe(5);
  });

  it('backs each key off independently', () => {
    const rl = new RateLimiter({ clock, qps: 0 });
    rl.when('a');
    rl.when('a');
    expect(rl.when('a')).toBe(20);
    expect(rl.when('b')).toBe(5);
  });

  it('limits the overall retry rate with a token bucket on top of the per-key backoff', () => {
    const rl = new RateLimiter({ clock, qps: 10, burst: 2 });
    expect(rl.when('a')).toBe(5); // burst token
    expect(rl.when('b')).toBe(5); // burst token
    expect(rl.when('c')).toBeCloseTo(100); // bucket empty: one token per 100 ms
    expect(rl.when('d')).toBeCloseTo(200);
  });

  it('retries a rate-limited key after its backoff and honours a minimum delay', async () => {
    const { q, registry } = queue();
    q.addRateLimited('a'); // 5 ms
    q.addRateLimited('b', 1000); // e.g. Retry-After: 1
    await vi.advanceTimersByTimeAsync(5);
    expect(q.length).toBe(1);
    await vi.advanceTimersByTimeAsync(995);
    expect(q.length).toBe(2);
    expect(await metric(registry, 'workqueue_retries_total')).toBe(2);
  });

  it('on shutdown stops handing out keys and resolves once in-flight work is done', async () => {
    const { q } = queue();
    q.add('a');
    q.add('b');
    const k = await q.get();
    q.addAfter('c', 10);
    let drained = false;
    const stopping = q.shutdown().then(() => (drained = true));
    expect(await q.get()).toBeUndefined();
    q.add('d');
    await vi.advanceTimersByTimeAsync(100);
    expect(q.length).toBe(0);
    expect(drained).toBe(false);
    q.done(k as string);
    await stopping;
    expect(drained).toBe(true);
  });

  it('wakes a waiting worker with undefined on shutdown', async () => {
    const { q } = queue();
    const waiting = q.get();
    await q.shutdown();
    await expect(waiting).resolves.toBeUndefined();
  });

  it('reports depth, adds and queue latency with the workqueue_* names', async () => {
    const { q, registry } = queue();
    expect(await metric(registry, 'workqueue_depth')).toBe(0);
    q.add('a');
    q.add('b');
    q.add('a');
    expect(await metric(registry, 'workqueue_depth')).toBe(2);
    expect(await metric(registry, 'workqueue_adds_total')).toBe(2);
    await vi.advanceTimersByTimeAsync(50);
    await q.get();
    const text = await registry.metrics();
    expect(text).toMatch(/workqueue_queue_duration_seconds_count\{name="test",controller="test"\} 1/);
    expect(text).toMatch(/workqueue_unfinished_work_seconds\{name="test",controller="test"\} 0/);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await registry.metrics()).toMatch(/workqueue_longest_running_processor_seconds\{name="test",controller="test"\} 2/);
  });
});
