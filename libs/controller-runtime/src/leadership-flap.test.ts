import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeListWatcher } from '../test/support/fake-list-watcher.ts';
import { LeaseServer } from '../test/support/fake-lease-server.ts';
import { Controller } from './controller.ts';
import { Informer } from './informer.ts';
import { LeaderElector } from './leader-election.ts';
import type { KubeObject } from './objects.ts';
import { Resources } from './resources.ts';

const clock = { now: () => Date.now() };

/** A controller driven by a lease elector exactly as the Manager wires them, over a slow initial list. */
function setup() {
  const api = new FakeListWatcher();
  api.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns', uid: 'u-a' } } as KubeObject);
  let openGate: () => void = () => undefined;
  api.listGate = new Promise<void>((r) => (openGate = r));
  const informer = new Informer({ client: api, resource: Resources.ConfigMap, clock });
  const reconciled: string[] = [];
  const controller = new Controller({
    name: 'flap',
    clock,
    reconcile: async (req) => void reconciled.push(`${req.namespace}/${req.name}`),
  });
  controller.for(informer);
  const leases = new LeaseServer();
  const conn: { broken?: 'fail' | 'hang' } = {};
  const elector = new LeaderElector({ client: leases.client(conn), name: 'flap-leader', namespace: 'ns', identity: 'a', clock });
  const abort = new AbortController();
  const electing = elector.run(
    { onStartedLeading: () => void controller.start().catch(() => undefined), onStoppedLeading: () => controller.stop() },
    abort.signal,
  );
  informer.start();
  return {
    controller,
    elector,
    conn,
    reconciled,
    openGate,
    async close() {
      abort.abort();
      await vi.advanceTimersByTimeAsync(0);
      await electing;
      await controller.stop();
      await informer.stop();
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('controller start/stop across leadership flaps', () => {
  it('a lease lost during the initial cache sync leaves no controller running', async () => {
    const t = setup();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.elector.isLeader()).toBe(true); // leading, the controller waits for its cache
    t.conn.broken = 'fail'; // the API is gone: the lease cannot be renewed nor re-taken
    await vi.advanceTimersByTimeAsync(11_000);
    expect(t.elector.isLeader()).toBe(false);
    t.openGate(); // the cache syncs only now, after leadership was lost
    await vi.advanceTimersByTimeAsync(5_000);
    expect(t.controller.running).toBe(false);
    expect(t.reconciled).toEqual([]);
    await t.close();
  });

  it('lost then regained while the cache syncs starts one worker pool, not two', async () => {
    const t = setup();
    await vi.advanceTimersByTimeAsync(0);
    t.conn.broken = 'hang';
    await vi.advanceTimersByTimeAsync(11_000); // deposed
    t.conn.broken = undefined;
    await vi.advanceTimersByTimeAsync(10_000); // our own lease: taken again once a request gets through
    expect(t.elector.isLeader()).toBe(true);
    t.openGate();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(t.controller.running).toBe(true);
    // Every cached object is queued once per pool: two pools would reconcile `ns/a` twice.
    expect(t.reconciled).toEqual(['ns/a']);
    await t.close();
  });
});
