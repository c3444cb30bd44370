import { describe, expect, it } from 'vitest';
import { trafficByClient, type AuditEvent } from './audit-log.ts';
import { percentile, type SystemResult } from './results.ts';
import { imageRuntime } from './systems.ts';
import { ratio, renderTables } from './table.ts';
import { vendoredApiCommit } from './upstream-build.ts';

function system(name: string, over: Partial<SystemResult> = {}): SystemResult {
  return {
    system: name,
    label: 'abc1234',
    createToDeploymentMs: 1000,
    removedToManagedMs: [70, 80, 75],
    changes: [
      {
        gapMs: 2000,
        latenciesMs: [30, 40, 50],
        readsPerChange: 29,
        writesPerChange: 8,
        detail: { 'x: patch configs/status cluster': 40 },
      },
    ],
    idle: { rssMiB: 110, privateMiB: 40, cpuPer60s: 0.2, readsPerMin: 0, writesPerMin: 3, detail: {} },
    processes: [
      {
        name: 'p',
        rssMiB: 110,
        privateMiB: 40,
        idleCpuPer60s: 0.2,
        idleReadsPerMin: 0,
        idleWritesPerMin: 3,
        readsPerChange: { '2000': 29 },
        writesPerChange: { '2000': 8 },
      },
    ],
    ...over,
  };
}

describe('the side-by-side table', () => {
  it('prints each figure with its ratio to upstream', () => {
    const ours = system('ours', {
      idle: { rssMiB: 330, privateMiB: 100, cpuPer60s: 0.4, readsPerMin: 0, writesPerMin: 0, detail: {} },
    });
    const text = renderTables({
      startedAt: '',
      host: '',
      settings: {},
      notes: [],
      systems: [system('upstream'), ours],
    });
    expect(text).toContain('| idle RSS, total (MiB) | 110 | 330 | 3.00× |');
    expect(text).toContain('| idle private memory (RssAnon), total (MiB) | 40 | 100 | 2.50× |');
    expect(text).toContain('| writes per idle minute (lease renewals included) | 3.0 | 0.0 | 0.00× |');
    expect(text).toContain(
      '| replicas change → Deployment, 2 s apart, p50 / p99 (ms) | 40 / 50 | 40 / 50 | 1.00× / 1.00× |',
    );
    expect(text).toContain('| Removed → Managed → Deployment, p50 / max (ms) | 75 / 80 | 75 / 80 |');
    expect(text).toContain('| writes per change per client, 2 s apart | p 8.0 | p 8.0 | |');
  });

  it('marks upstream as not run when its source is absent, and says why', () => {
    const text = renderTables({
      startedAt: '',
      host: '',
      settings: {},
      notes: ['upstream not measured: no source'],
      systems: [system('ours')],
    });
    expect(text).toContain('| figure | upstream (not run) |');
    expect(text).toContain('| idle RSS, total (MiB) | n/a | 110 | – |');
    expect(text).toContain('note: upstream not measured: no source');
  });

  it('gives ratios only where both sides have a value', () => {
    expect(ratio([0], [0])).toBe('=');
    expect(ratio([2], [0])).toBe('∞');
    expect(ratio(undefined, [1])).toBe('–');
    expect(ratio([3, 1], [1, 2])).toBe('3.00× / 0.50×');
  });
});

describe('the helpers behind it', () => {
  it('takes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 99)).toBe(5);
    expect(percentile([], 50)).toBeNaN();
  });

  it("reads the image's node flags and environment from the Containerfile", () => {
    const cf =
      'FROM scratch\nENV NODE_ENV=production PATH=/nodejs/bin:/bin\nENTRYPOINT ["/nodejs/bin/node", "--enable-source-maps", "/app/main.mjs"]\n';
    expect(imageRuntime(cf)).toEqual({
      nodeFlags: ['--enable-source-maps'],
      env: { NODE_ENV: 'production' },
    });
  });

  it('finds the openshift/api commit upstream vendors', () => {
    expect(
      vendoredApiCommit('# github.com/openshift/api v0.0.0-20260317165824-54a3998d81eb\n## explicit'),
    ).toBe('54a3998d81eb');
    expect(vendoredApiCommit('# github.com/other v1.0.0')).toBeUndefined();
  });

  it('counts reads and writes per client inside the window only', () => {
    const e = (verb: string, at: string, ua: string, resource = 'configs'): AuditEvent => ({
      auditID: `${verb}${at}${ua}`,
      verb,
      userAgent: ua,
      objectRef: { resource, subresource: 'status', name: 'cluster' },
      requestReceivedTimestamp: at,
    });
    const events = [
      e('patch', '2026-01-01T00:00:01Z', 'a'),
      e('get', '2026-01-01T00:00:02Z', 'a'),
      e('patch', '2026-01-01T00:00:02Z', 'b'),
      e('patch', '2026-01-01T00:00:09Z', 'a'),
      e('patch', '2026-01-01T00:00:02Z', 'bench'),
      e('create', '2026-01-01T00:00:03Z', 'b', 'events'),
    ];
    const by = trafficByClient(
      events,
      Date.parse('2026-01-01T00:00:01Z'),
      Date.parse('2026-01-01T00:00:05Z'),
      (x) => (x.userAgent === 'bench' ? undefined : x.userAgent),
    );
    expect(by.get('a')).toEqual({
      reads: 1,
      writes: 1,
      eventWrites: 0,
      detail: { 'patch configs/status cluster': 1, 'get configs/status cluster': 1 },
    });
    expect(by.get('b')).toMatchObject({ writes: 2, eventWrites: 1 });
    expect(by.has('bench')).toBe(false);
  });
});
