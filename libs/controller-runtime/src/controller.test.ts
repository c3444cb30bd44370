import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeListWatcher } from '../test/support/fake-list-watcher.ts';
import { Controller, type Reconcile } from './controller.ts';
import { KubeApiError, TerminalError } from './errors.ts';
import { Informer } from './informer.ts';
import { createLogger } from './logger.ts';
import type { KubeObject, Request } from './objects.ts';
import { Resources } from './resources.ts';

const clock = { now: () => Date.now() };

function obj(kind: string, name: string, extra: Partial<NonNullable<KubeObject['metadata']>> = {}): KubeObject {
  return { apiVersion: 'v1', kind, metadata: { name, namespace: 'ns', uid: `uid-${name}`, ...extra } };
}

interface Harness {
  server: FakeListWatcher;
  informer: Informer;
  controller: Controller;
  registry: Registry;
  calls: { key: string; at: number }[];
  logs: Record<string, unknown>[];
}

async function start(reconcile: Reconcile, opts: { workers?: number; reconcileTimeoutMs?: number; objects?: string[] } = {}): Promise<Harness> {
  const server = new FakeListWatcher();
  for (const name of opts.objects ?? ['a']) server.put(obj('ConfigMap', name));
  const informer = new Informer({ client: server, resource: Resources.ConfigMap, clock });
  const registry = new Registry();
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      cb();
    },
  });
  const calls: { key: string; at: number }[] = [];
  const t0 = Date.now();
  const controller = new Controller({
    name: 'test',
    registry,
    clock,
    logger: createLogger({ level: 'debug', destination }),
    rateLimiter: { qps: 0 },
    ...(opts.workers ? { workers: opts.workers } : {}),
    ...(opts.reconcileTimeoutMs ? { reconcileTimeoutMs: opts.reconcileTimeoutMs } : {}),
    reconcile: (req, ctx) => {
      calls.push({ key: req.namespace ? `${req.namespace}/${req.name}` : req.name, at: Date.now() - t0 });
      return reconcile(req, ctx);
    },
  }).for(informer);
  informer.start();
  await controller.start();
  await vi.advanceTimersByTimeAsync(0);
  return { server, informer, controller, registry, calls, logs };
}

async function value(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const m = await registry.getSingleMetric(name)?.get();
  return m?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l) && !('le' in v.labels))?.value;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Controller', () => {
  it('reconciles every cached object once at start, then on each change', async () => {
    const h = await start(async () => undefined, { objects: ['a', 'b'] });
    expect(h.calls.map((c) => c.key).sort()).toEqual(['ns/a', 'ns/b']);
    h.server.watching.emit('MODIFIED', h.server.put(obj('ConfigMap', 'a', { labels: { x: '1' } })));
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls.map((c) => c.key)).toHaveLength(3);
    expect(await value(h.registry, 'controller_runtime_reconcile_total', { controller: 'test', result: 'success' })).toBe(3);
    await h.controller.stop();
  });

  it('retries an error with per-key exponential backoff, and forgets it after a success', async () => {
    let failures = 3;
    const h = await start(async () => {
      if (failures-- > 0) throw new Error('API hiccup');
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.calls.map((c) => c.at)).toEqual([0, 5, 15, 35]);
    expect(await value(h.registry, 'controller_runtime_reconcile_errors_total', { controller: 'test' })).toBe(3);
    expect(await value(h.registry, 'controller_runtime_reconcile_total', { controller: 'test', result: 'error' })).toBe(3);
    // Backoff was forgotten: the next failure starts at 5 ms again.
    failures = 1;
    h.controller.enqueue({ namespace: 'ns', name: 'a' });
    await vi.advanceTimersByTimeAsync(100);
    expect(h.calls.slice(4).map((c) => c.at - (h.calls[4]?.at ?? NaN))).toEqual([0, 5]);
    await h.controller.stop();
  });

  it('does not retry a TerminalError, and counts it', async () => {
    const h = await start(async () => {
      throw new TerminalError('spec.storage has two backends; keep one');
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.calls).toHaveLength(1);
    expect(await value(h.registry, 'controller_runtime_terminal_reconcile_errors_total', { controller: 'test' })).toBe(1);
    expect(h.logs.find((l) => l['level'] === 'error')?.['msg']).toMatch(/terminal error; not retrying/);
    await h.controller.stop();
  });

  it('treats an error caused by a TerminalError as terminal', async () => {
    const h = await start(async () => {
      throw new Error('render failed', { cause: new TerminalError('bad input') });
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.calls).toHaveLength(1);
    await h.controller.stop();
  });

  it('reconciles again after requeueAfterMs', async () => {
    const h = await start(async () => ({ requeueAfterMs: 30_000 }));
    await vi.advanceTimersByTimeAsync(65_000);
    expect(h.calls.map((c) => c.at)).toEqual([0, 30_000, 60_000]);
    expect(await value(h.registry, 'controller_runtime_reconcile_total', { controller: 'test', result: 'requeue_after' })).toBe(3);
    await h.controller.stop();
  });

  it('waits at least the server Retry-After before retrying a throttled key', async () => {
    let first = true;
    const h = await start(async () => {
      if (first) {
        first = false;
        throw new KubeApiError({ verb: 'apply', path: '/x', status: 429, retryAfterMs: 3000 });
      }
    });
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.calls.map((c) => c.at)).toEqual([0, 3000]);
    await h.controller.stop();
  });

  it('aborts the signal of a reconcile that overruns its timeout, and retries it', async () => {
    let first = true;
    const h = await start(
      (_req, ctx) =>
        new Promise<void>((resolve, reject) => {
          if (!first) return resolve();
          first = false;
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error));
        }),
      { reconcileTimeoutMs: 1000 },
    );
    await vi.advanceTimersByTimeAsync(1100);
    expect(h.calls.map((c) => c.at)).toEqual([0, 1005]);
    expect(h.logs.some((l) => String(l['msg']).includes('timed out after 1000 ms'))).toBe(true);
    await h.controller.stop();
  });

  it('catches a thrown programming error, counts it as a panic and retries', async () => {
    let first = true;
    const h = await start(async () => {
      if (first) {
        first = false;
        return (undefined as unknown as { x: number }).x > 0 ? undefined : undefined;
      }
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(h.calls).toHaveLength(2);
    expect(await value(h.registry, 'controller_runtime_reconcile_panics_total', { controller: 'test' })).toBe(1);
    await h.controller.stop();
  });

  it('runs different keys in parallel but never the same key twice at once', async () => {
    const running = new Set<string>();
    let overlap = false;
    let maxParallel = 0;
    const h = await start(
      async (req) => {
        if (running.has(req.name)) overlap = true;
        running.add(req.name);
        maxParallel = Math.max(maxParallel, running.size);
        await new Promise((r) => setTimeout(r, 100));
        running.delete(req.name);
      },
      { workers: 3, objects: ['a', 'b', 'c'] },
    );
    for (let i = 0; i < 5; i++) {
      h.server.watching.emit('MODIFIED', h.server.put(obj('ConfigMap', 'a', { labels: { i: String(i) } })));
      await vi.advanceTimersByTimeAsync(30);
    }
    await vi.advanceTimersByTimeAsync(1000);
    expect(maxParallel).toBe(3);
    expect(overlap).toBe(false);
    // Five changes to `a` while it was busy collapse into one more reconcile, maybe two.
    expect(h.calls.filter((c) => c.key === 'ns/a').length).toBeLessThanOrEqual(3);
    await h.controller.stop();
  });

  it('logs each reconcile with controller, key and reconcileID', async () => {
    const h = await start(async (_req, ctx) => {
      ctx.log.info('inside');
    });
    const line = h.logs.find((l) => l['msg'] === 'inside');
    expect(line).toMatchObject({ controller: 'test', key: 'ns/a' });
    expect(line?.['reconcileID']).toMatch(/^[0-9a-f-]{36}$/);
    await h.controller.stop();
  });

  it('pre-initialises its metrics to zero', async () => {
    const registry = new Registry();
    new Controller({ name: 'idle', registry, reconcile: async () => undefined });
    const text = await registry.metrics();
    for (const result of ['success', 'error', 'requeue', 'requeue_after']) {
      expect(text).toContain(`controller_runtime_reconcile_total{controller="idle",result="${result}"} 0`);
    }
    expect(text).toContain('controller_runtime_reconcile_errors_total{controller="idle"} 0');
    expect(text).toContain('controller_runtime_reconcile_time_seconds_count{controller="idle"} 0');
    expect(text).toContain('controller_runtime_max_concurrent_reconciles{controller="idle"} 1');
  });

  it('on stop aborts in-flight reconciles at once and takes no more keys', async () => {
    let aborted = false;
    const h = await start(
      (_req, ctx) =>
        new Promise<void>((_resolve, reject) =>
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            reject(ctx.signal.reason as Error);
          }),
        ),
    );
    await h.controller.stop();
    expect(aborted).toBe(true);
    h.server.watching.emit('MODIFIED', h.server.put(obj('ConfigMap', 'a', { labels: { later: '1' } })));
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.calls).toHaveLength(1);
    // An abort for stopping is not an error of the object.
    expect(await value(h.registry, 'controller_runtime_reconcile_errors_total', { controller: 'test' })).toBe(0);
  });

  it('on a graceful stop lets in-flight reconciles finish within the grace period', async () => {
    let finished = false;
    const h = await start(async (_req, ctx) => {
      await new Promise((r) => setTimeout(r, 2000));
      ctx.signal.throwIfAborted();
      finished = true;
    });
    const stopped = h.controller.stop({ graceMs: 5000 });
    await vi.advanceTimersByTimeAsync(2000);
    await stopped;
    expect(finished).toBe(true);
  });
});

describe('Controller sources', () => {
  async function sources(setup: (c: Controller, owners: Informer, children: Informer) => void) {
    const owners = new FakeListWatcher();
    const children = new FakeListWatcher();
    const ownerInf = new Informer({ client: owners, resource: Resources.ConfigMap, clock });
    const childInf = new Informer({ client: children, resource: Resources.Secret, clock });
    const seen: string[] = [];
    const c = new Controller({
      name: 'src',
      reconcile: async (req: Request) => {
        seen.push(req.namespace ? `${req.namespace}/${req.name}` : req.name);
      },
    });
    setup(c, ownerInf, childInf);
    ownerInf.start();
    childInf.start();
    await c.start();
    await vi.advanceTimersByTimeAsync(0);
    return { children, seen, c };
  }

  it('owns: maps a child to its owner by owner reference', async () => {
    const { children, seen, c } = await sources((ctl, o, ch) => ctl.for(o).owns(ch));
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u' };
    children.watching.emit('ADDED', children.put(obj('Secret', 'child', { ownerReferences: [ref] })));
    children.watching.emit('ADDED', children.put(obj('Secret', 'orphan')));
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['ns/owner']);
    await c.stop();
  });

  it('owns: maps a child to its owner by labels', async () => {
    const { children, seen, c } = await sources((ctl, o, ch) => ctl.for(o).owns(ch, { byLabel: { name: 'owner-name', namespace: 'owner-ns' } }));
    children.watching.emit('ADDED', children.put(obj('Secret', 'child', { labels: { 'owner-name': 'cfg', 'owner-ns': 'other' } })));
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['other/cfg']);
    await c.stop();
  });

  it('watches: maps any object with a function (a singleton key here)', async () => {
    const { children, seen, c } = await sources((ctl, o, ch) => ctl.for(o).watches(ch, () => ({ name: 'instance' })));
    children.watching.emit('ADDED', children.put(obj('Secret', 'x')));
    children.watching.emit('ADDED', children.put(obj('Secret', 'y')));
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['instance']);
    await c.stop();
  });
});
