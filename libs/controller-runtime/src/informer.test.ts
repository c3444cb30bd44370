import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeListWatcher, gone } from '../test/support/fake-list-watcher.ts';
import { KubeTransportError } from './errors.ts';
import { Informer } from './informer.ts';
import type { KubeObject } from './objects.ts';
import { Resources } from './resources.ts';
import { WatchIdleError } from './transport.ts';

const clock = { now: () => Date.now() };

function cm(name: string, namespace = 'ns', extra: Partial<NonNullable<KubeObject['metadata']>> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, uid: `uid-${name}`, ...extra } };
}

function setup(opts: { indexLabels?: string[]; resyncPeriodMs?: number } = {}) {
  const server = new FakeListWatcher();
  const informer = new Informer({ client: server, resource: Resources.ConfigMap, clock, ...opts });
  const events: string[] = [];
  informer.on({
    add: (o) => events.push(`add ${o.metadata?.name}`),
    update: (old, o) => events.push(`update ${o.metadata?.name}${old === o ? ' (resync)' : ''}`),
    delete: (o) => events.push(`delete ${o.metadata?.name}`),
  });
  return { server, informer, events };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Informer', () => {
  it('lists, reports synced, then watches from the list resourceVersion', async () => {
    const { server, informer, events } = setup();
    server.put(cm('a'));
    informer.start();
    await informer.waitForSync();
    expect(informer.hasSynced()).toBe(true);
    expect(informer.get({ namespace: 'ns', name: 'a' })?.metadata?.name).toBe('a');
    expect(server.lastWatch?.opts.resourceVersion).toBe(String(server.rv));
    expect(events).toEqual(['add a']);
    await informer.stop();
  });

  it('keeps the cache current from watch events and resumes from the last resourceVersion', async () => {
    const { server, informer, events } = setup();
    informer.start();
    await informer.waitForSync();
    const w = server.watching;
    w.emit('ADDED', server.put(cm('a')));
    w.emit('MODIFIED', server.put(cm('a', 'ns', { labels: { v: '2' } })));
    w.emit('ADDED', server.put(cm('b')));
    w.emit('DELETED', { ...server.remove('b', 'ns'), metadata: { ...cm('b').metadata, resourceVersion: String(server.rv) } });
    w.emit('BOOKMARK', { metadata: { resourceVersion: '999' } } as KubeObject);
    expect(events).toEqual(['add a', 'update a', 'add b', 'delete b']);
    expect(informer.get('ns/a')?.metadata?.labels).toEqual({ v: '2' });
    expect(informer.get('ns/b')).toBeUndefined();
    w.end(); // server-side timeout: re-watch at once, no relist
    await vi.advanceTimersByTimeAsync(0);
    expect(server.watchCalls).toHaveLength(2);
    expect(server.lastWatch?.opts.resourceVersion).toBe('999');
    expect(server.listCalls).toHaveLength(1);
    await informer.stop();
  });

  it('relists at once on 410 Gone and turns what vanished meanwhile into delete events', async () => {
    const { server, informer, events } = setup();
    server.put(cm('stays'));
    server.put(cm('goes'));
    server.put(cm('changes'));
    informer.start();
    await informer.waitForSync();
    // Changes the watch never saw, then the server says our resourceVersion is too old.
    server.remove('goes', 'ns');
    server.put(cm('changes', 'ns', { labels: { v: '2' } }));
    server.put(cm('new'));
    server.watching.emit('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' });
    await vi.advanceTimersByTimeAsync(0);
    expect(server.listCalls).toHaveLength(2);
    expect(events.slice(3).sort()).toEqual(['add new', 'delete goes', 'update changes']);
    expect(informer.list().map((o) => o.metadata?.name).sort()).toEqual(['changes', 'new', 'stays']);
    await informer.stop();
  });

  it('relists when the watch request itself answers 410', async () => {
    const { server, informer } = setup();
    informer.start();
    await informer.waitForSync();
    server.watching.fail(gone());
    await vi.advanceTimersByTimeAsync(0);
    expect(server.listCalls).toHaveLength(2);
    await informer.stop();
  });

  it('restarts a failing watch with exponential backoff from 1 s capped at 30 s', async () => {
    const { server, informer } = setup();
    informer.start();
    await informer.waitForSync();
    const restarts: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = Date.now();
      server.watching.fail(new KubeTransportError('connection reset'));
      const n = server.watchCalls.length;
      while (server.watchCalls.length === n) await vi.advanceTimersByTimeAsync(100);
      restarts.push(Math.round((Date.now() - before) / 1000));
    }
    expect(restarts).toEqual([1, 2, 4, 8, 16, 30, 30]);
    expect(server.listCalls).toHaveLength(1); // a watch error alone does not relist
    await informer.stop();
  });

  it('keeps retrying a failing initial list, and syncs once it succeeds', async () => {
    const { server, informer } = setup();
    server.listFailures = [new KubeTransportError('refused'), new KubeTransportError('refused')];
    informer.start();
    await vi.advanceTimersByTimeAsync(2900);
    expect(informer.hasSynced()).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(server.listCalls.map((c) => c.at - (server.listCalls[0]?.at ?? NaN))).toEqual([0, 1000, 3000]);
    expect(informer.hasSynced()).toBe(true);
    await informer.stop();
  });

  it('treats a stalled watch as a failure and restarts it after 1 s', async () => {
    const { server, informer } = setup();
    informer.start();
    await informer.waitForSync();
    await vi.advanceTimersByTimeAsync(90_000); // a healthy but quiet watch, then the idle watchdog fires
    server.watching.fail(new WatchIdleError('no data for 90000 ms'));
    await vi.advanceTimersByTimeAsync(999);
    expect(server.watchCalls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.watchCalls).toHaveLength(2);
    await informer.stop();
  });

  it('backs off on 410s in a row instead of relisting in a tight loop', async () => {
    const { server, informer } = setup();
    informer.start();
    await informer.waitForSync();
    const t0 = Date.now();
    for (let i = 0; i < 4; i++) {
      await vi.advanceTimersByTimeAsync(0);
      const w = server.watching;
      w.fail(gone());
      await vi.advanceTimersByTimeAsync(10_000);
    }
    // The first 410 relists at once; the ones after it wait 1 s, 2 s, 4 s.
    expect(server.listCalls.slice(1).map((c) => c.at - t0)).toEqual([0, 10_000 + 1000, 20_000 + 2000, 30_000 + 4000]);
    await informer.stop();
  });

  it('gives a quiet watch longer than its server timeout before calling it idle, and logs nothing when the server ends it', async () => {
    const { server, informer } = setup();
    informer.start();
    await informer.waitForSync();
    const w = server.watching;
    expect(w.opts.idleTimeoutMs).toBeGreaterThan((w.opts.timeoutSeconds ?? 0) * 1000);
    expect(w.opts.timeoutSeconds).toBeGreaterThanOrEqual(300);
    w.end(); // the server's timeout: a normal end, a fresh watch at once
    await vi.advanceTimersByTimeAsync(0);
    expect(server.watchCalls).toHaveLength(2);
    expect(informer.stalled()).toBe(false);
    await informer.stop();
  });

  it('reports stalled when nothing came from the server for several idle periods', async () => {
    const server = new FakeListWatcher();
    const informer = new Informer({ client: server, resource: Resources.ConfigMap, clock, idleTimeoutMs: 1000 });
    informer.start();
    await informer.waitForSync();
    await vi.advanceTimersByTimeAsync(2000);
    expect(informer.stalled()).toBe(false);
    for (let i = 0; i < 3; i++) {
      server.watching.fail(new WatchIdleError('no data for 1000 ms'));
      await vi.advanceTimersByTimeAsync(1000 * 2 ** i);
    }
    expect(informer.stalled()).toBe(true);
    server.watching.emit('BOOKMARK', { metadata: { resourceVersion: '500' } } as KubeObject);
    expect(informer.stalled()).toBe(false);
    await informer.stop();
  });

  it('passes scope and selectors to list and watch', async () => {
    const server = new FakeListWatcher();
    const informer = new Informer({
      client: server,
      resource: Resources.ConfigMap,
      namespace: 'only',
      labelSelector: 'app=x',
      fieldSelector: 'metadata.name=a',
      clock,
    });
    informer.start();
    await informer.waitForSync();
    expect(server.listCalls[0]?.opts).toMatchObject({ namespace: 'only', labelSelector: 'app=x', fieldSelector: 'metadata.name=a' });
    expect(server.lastWatch?.opts).toMatchObject({ namespace: 'only', labelSelector: 'app=x', fieldSelector: 'metadata.name=a' });
    await informer.stop();
  });

  it('indexes by namespace, owner and label', async () => {
    const { server, informer } = setup({ indexLabels: ['app'] });
    const owner = { apiVersion: 'v1', kind: 'Owner', name: 'o', uid: 'owner-1' };
    server.put(cm('a', 'ns1', { labels: { app: 'x', tier: 'web' }, ownerReferences: [owner] }));
    server.put(cm('b', 'ns1', { labels: { app: 'y' } }));
    server.put(cm('c', 'ns2', { labels: { app: 'x' }, ownerReferences: [owner] }));
    informer.start();
    await informer.waitForSync();
    const names = (os: KubeObject[]) => os.map((o) => o.metadata?.name).sort();
    expect(names(informer.list({ namespace: 'ns1' }))).toEqual(['a', 'b']);
    expect(names(informer.list({ labelSelector: 'app=x,tier notin (db)' }))).toEqual(['a', 'c']);
    expect(names(informer.byOwner('owner-1'))).toEqual(['a', 'c']);
    expect(names(informer.byLabel('app', 'x'))).toEqual(['a', 'c']);
    // Indexes follow changes.
    server.watching.emit('MODIFIED', server.put(cm('a', 'ns1', { labels: { app: 'y' } })));
    expect(names(informer.byLabel('app', 'y'))).toEqual(['a', 'b']);
    expect(names(informer.byOwner('owner-1'))).toEqual(['c']);
    expect(() => informer.byLabel('tier', 'web')).toThrow(/not indexed/);
    await informer.stop();
  });

  it('delivers cached objects as adds to a handler registered after sync', async () => {
    const { server, informer } = setup();
    server.put(cm('a'));
    informer.start();
    await informer.waitForSync();
    const late: string[] = [];
    informer.on({ add: (o) => late.push(o.metadata?.name ?? '') });
    expect(late).toEqual(['a']);
    await informer.stop();
  });

  it('resyncs: calls update for every cached object each period', async () => {
    const { server, informer, events } = setup({ resyncPeriodMs: 60_000 });
    server.put(cm('a'));
    server.put(cm('b'));
    informer.start();
    await informer.waitForSync();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(events.filter((e) => e.includes('resync')).sort()).toEqual(['update a (resync)', 'update b (resync)']);
    await informer.stop();
  });

  it('survives a handler that throws', async () => {
    const { server, informer } = setup();
    informer.on({
      add: () => {
        throw new TypeError('bug in a handler');
      },
    });
    informer.start();
    await informer.waitForSync();
    server.watching.emit('ADDED', server.put(cm('a')));
    expect(informer.get('ns/a')).toBeDefined();
    expect(server.watchCalls).toHaveLength(1);
    await informer.stop();
  });

  it('applies the transform before caching', async () => {
    const server = new FakeListWatcher();
    const informer = new Informer({
      client: server,
      resource: Resources.ConfigMap,
      clock,
      transform: (o) => ({ ...o, metadata: { ...o.metadata, managedFields: undefined } }),
    });
    server.put(cm('a', 'ns', { managedFields: [{ manager: 'm' }] }));
    informer.start();
    await informer.waitForSync();
    expect(informer.get('ns/a')?.metadata?.managedFields).toBeUndefined();
    await informer.stop();
  });
});
