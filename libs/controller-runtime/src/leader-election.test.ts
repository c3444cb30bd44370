import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeaderElector, type LeaseClient } from './leader-election.ts';
import { runtimeMetrics } from './metrics.ts';
import type { KubeObject } from './objects.ts';
import type { HttpRequest, HttpResponse } from './transport.ts';

interface Lease extends KubeObject {
  spec?: { holderIdentity?: string | null; leaseTransitions?: number; renewTime?: string; leaseDurationSeconds?: number };
}

/** One Lease on a pretend API server, with optimistic concurrency on resourceVersion. */
class LeaseServer {
  lease: Lease | undefined;
  private rv = 1;

  client(who: { broken?: 'fail' | 'hang' }): LeaseClient {
    return {
      metrics: runtimeMetrics(new Registry()),
      leaseRequest: async (init: HttpRequest): Promise<HttpResponse> => {
        if (who.broken === 'fail') throw new Error('connection refused');
        if (who.broken === 'hang') {
          return new Promise((_r, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));
        }
        return this.handle(init);
      },
    };
  }

  private handle(init: HttpRequest): HttpResponse {
    const ok = (status: number, body: unknown) => ({ status, headers: {}, body });
    if (init.method === 'GET') return this.lease ? ok(200, structuredClone(this.lease)) : ok(404, {});
    const body = structuredClone(init.body) as Lease;
    if (init.method === 'POST') {
      if (this.lease) return ok(409, {});
    } else if (body.metadata?.resourceVersion !== this.lease?.metadata?.resourceVersion) {
      return ok(409, {});
    }
    this.lease = { ...body, metadata: { ...body.metadata, resourceVersion: String(++this.rv) } };
    return ok(init.method === 'POST' ? 201 : 200, structuredClone(this.lease));
  }
}

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
      onStoppedLeading: () => log.push(`stop@${Date.now() - t0}`),
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

  it('refuses inconsistent durations', () => {
    const server = new LeaseServer();
    expect(
      () => new LeaderElector({ client: server.client({}), name: 'x', namespace: 'ns', leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }),
    ).toThrow(/leaseDuration > renewDeadline > retryPeriod/);
  });
});
