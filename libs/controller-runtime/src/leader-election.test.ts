import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeaderElector, type LeaseClient } from './leader-election.ts';
import { LeaseServer } from '../test/support/fake-lease-server.ts';

const clock = { now: () => Date.now() };

function candidate(server: LeaseServer, identity: string) {
  const state: { broken?: 'fail' | 'hang' } = {};
  const client = server.client(state);
  const elector = new LeaderElector({ client, name: 'app-leader', namespace: 'ns', identity, clock });
  const log: string[] = [];
  const abort = new AbortController();
  const t0 = Date.now();
  const running = elector.run(
    {
      onStartedLeading: () => log.push(`start@${Date.now() - t0}`),
      onStoppedLeading: () => void log.push(`stop@${Date.now() - t0}`),
    },
    abort.signal,
  );
  return { elector, client, state, log, abort, running };
}

async function status(c: LeaseClient): Promise<number | undefined> {
  return (await c.metrics.leaderStatus.get()).values[0]?.value;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('LeaderElector', () => {
  it('acquires a missing Lease, leads, and renews it every retry period', async () => {
    const server = new LeaseServer();
    const a = candidate(server, 'a');
    await vi.advanceTimersByTimeAsync(0);
    expect(a.log).toEqual(['start@0']);
    expect(a.elector.isLeader()).toBe(true);
    expect(await status(a.client)).toBe(1);
    const first = server.lease?.spec?.renewTime;
    expect(first).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await vi.advanceTimersByTimeAsync(2000);
    expect(server.lease?.spec?.renewTime).not.toBe(first);
    expect(server.lease?.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    a.abort.abort();
    await a.running;
  });

  it('keeps a second candidate waiting while the leader renews', async () => {
    const server = new LeaseServer();
    const a = candidate(server, 'a');
    await vi.advanceTimersByTimeAsync(0);
    const b = candidate(server, 'b');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(b.log).toEqual([]);
    expect(b.elector.isLeader()).toBe(false);
    expect(await status(b.client)).toBe(0);
    a.abort.abort();
    b.abort.abort();
    await Promise.all([a.running, b.running]);
  });

  it('a leader that cannot renew stops within the renew deadline, before a successor may start', async () => {
    const server = new LeaseServer();
    const a = candidate(server, 'a');
    await vi.advanceTimersByTimeAsync(0);
    const b = candidate(server, 'b');
    await vi.advanceTimersByTimeAsync(10_000); // a renewed at 10 s (every 2 s)
    a.state.broken = 'fail'; // a's API connection dies: it cannot renew, and cannot release
    await vi.advanceTimersByTimeAsync(25_000);
    const at = (entry: string | undefined) => Number(entry?.split('@')[1]);
    // a last renewed at 10 s: it stops no later than the renew deadline (10 s) after that…
    expect(at(a.log[1])).toBeLessThanOrEqual(20_000);
    // …and b takes over no earlier than a lease duration (15 s) after the last renewal, within a few retries.
    expect(at(b.log[0])).toBeGreaterThanOrEqual(25_000);
    expect(at(b.log[0])).toBeLessThanOrEqual(30_000);
    expect(server.lease?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    a.abort.abort();
    b.abort.abort();
    await Promise.all([a.running, b.running]);
  });

  it('steps down when a renewal hangs instead of waiting for it', async () => {
    const server = new LeaseServer();
    const a = candidate(server, 'a');
    await vi.advanceTimersByTimeAsync(0);
    a.state.broken = 'hang';
    await vi.advanceTimersByTimeAsync(10_000);
    expect(a.log).toEqual(['start@0', 'stop@10000']);
    expect(await status(a.client)).toBe(0);
    a.abort.abort();
    await a.running;
  });

  it('stops claiming leadership once the renew deadline has passed, even if its timers run late', async () => {
    const server = new LeaseServer();
    const a = candidate(server, 'a');
    await vi.advanceTimersByTimeAsync(0);
    expect(a.elector.isLeader()).toBe(true);
    // The process was frozen (SIGSTOP, a long GC): wall time moved on, no timer ran.
    vi.setSystemTime(Date.now() + 11_000);
    expect(a.elector.isLeader()).toBe(false);
    a.abort.abort();
    await a.running;
  });

  it('releases the lease on shutdown so the next candidate takes over at once', async () => {
    const server = new LeaseServer();
    const a = candidate(server, 'a');
    await vi.advanceTimersByTimeAsync(0);
    const b = candidate(server, 'b');
    await vi.advanceTimersByTimeAsync(5000);
    a.abort.abort();
    await a.running;
    expect(a.log).toEqual(['start@0', 'stop@5000']);
    expect(server.lease?.spec?.holderIdentity).toBeNull();
    await vi.advanceTimersByTimeAsync(2500);
    // b's next attempt (every 2–2.4 s) finds an empty holder: no need to wait out the 15 s lease.
    expect(b.elector.isLeader()).toBe(true);
    expect(Number(b.log[0]?.split('@')[1])).toBeLessThanOrEqual(7_400);
    b.abort.abort();
    await b.running;
  });

  it("waits out the holder's own lease duration, not its own", async () => {
    const server = new LeaseServer();
    const wall = new Date().toISOString();
    // Another implementation holds the lease with a 60 s duration; ours is 15 s.
    server.lease = {
      metadata: { name: 'app-leader', namespace: 'ns', resourceVersion: '1' },
      spec: { holderIdentity: 'other', leaseDurationSeconds: 60, renewTime: wall, leaseTransitions: 3 },
    };
    const b = candidate(server, 'b');
    await vi.advanceTimersByTimeAsync(50_000);
    expect(b.log).toEqual([]);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(b.log).toHaveLength(1);
    expect(Number(b.log[0]?.split('@')[1])).toBeGreaterThanOrEqual(60_000);
    b.abort.abort();
    await b.running;
  });

  it('waits for the old term to stop before it campaigns again', async () => {
    const server = new LeaseServer();
    const client = server.client({});
    const broken: { broken?: 'fail' | 'hang' } = {};
    const flaky = server.client(broken);
    const elector = new LeaderElector({ client: { metrics: client.metrics, leaseRequest: flaky.leaseRequest }, name: 'app-leader', namespace: 'ns', identity: 'a', clock });
    const log: string[] = [];
    let release: () => void = () => undefined;
    const abort = new AbortController();
    const running = elector.run(
      {
        onStartedLeading: () => void log.push('start'),
        onStoppedLeading: () => {
          log.push('stopping');
          return new Promise<void>((r) => (release = () => (log.push('stopped'), r())));
        },
      },
      abort.signal,
    );
    await vi.advanceTimersByTimeAsync(0);
    broken.broken = 'hang';
    await vi.advanceTimersByTimeAsync(10_000);
    broken.broken = undefined;
    await vi.advanceTimersByTimeAsync(30_000); // the lease is ours again to take, but the old term has not stopped
    expect(log).toEqual(['start', 'stopping']);
    release();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(log).toEqual(['start', 'stopping', 'stopped', 'start']);
    abort.abort();
    await vi.advanceTimersByTimeAsync(0);
    release();
    await running;
  });

  it('refuses inconsistent durations', () => {
    const server = new LeaseServer();
    expect(
      () => new LeaderElector({ client: server.client({}), name: 'x', namespace: 'ns', leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }),
    ).toThrow(/leaseDuration > renewDeadline > retryPeriod/);
  });
});
