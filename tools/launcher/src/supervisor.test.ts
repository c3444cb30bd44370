import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LauncherApp, RestartPolicy } from './options.ts';
import { health, metrics } from './probe-server.ts';
import { backoffDelayMs, Supervisor, type AppFailedError } from './supervisor.ts';

// Real worker threads running small stand-in bundles: what an app does at the edges the launcher sees
// (its SIGTERM handler, its probe server on --metrics-bind-address, its exit codes).
const dir = mkdtempSync(join(tmpdir(), 'launcher-test-'));
const bundle = (name: string, code: string): string => {
  const path = join(dir, `${name}.mjs`);
  writeFileSync(path, code);
  return path;
};
const probeServer = `
import { createServer } from 'node:http';
const port = Number(process.argv.find((a) => a.startsWith('--metrics-bind-address=')).split(':').pop());
const server = createServer((req, res) => {
  if (req.url === '/metrics') return res.end('# HELP up Up.\\n# TYPE up gauge\\nup{x="1"} 1\\n');
  if (req.url === '/readyz' && process.env.NOT_READY) { res.statusCode = 503; return res.end('[-] informer configs has not synced\\n'); }
  res.end('ok\\n');
}).listen(port, '127.0.0.1');
`;
const steady = bundle('steady', `${probeServer}
process.on('SIGTERM', () => setTimeout(() => process.exit(0), 20));`);
const crashOnce = bundle('crash-once', `${probeServer}
import { existsSync, writeFileSync } from 'node:fs';
const marker = ${JSON.stringify(join(dir, 'crashed'))};
if (!existsSync(marker)) { writeFileSync(marker, ''); process.exit(1); }
process.on('SIGTERM', () => process.exit(0));`);
const crashLoop = bundle('crash-loop', `setTimeout(() => process.exit(3), 5);`);
const badFlags = bundle('bad-flags', `process.stderr.write('bad-flags: --x is not a flag\\n'); process.exit(2);`);
const stubborn = bundle('stubborn', `process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);`);
// What routes does when the Route API appears: signal itself to restart gracefully.
const selfSignal = bundle('self-signal', `${probeServer}
import { existsSync, writeFileSync } from 'node:fs';
const marker = ${JSON.stringify(join(dir, 'signalled'))};
process.on('SIGTERM', () => { server.close(); process.exit(0); });
if (!existsSync(marker)) { writeFileSync(marker, ''); setTimeout(() => process.kill(process.pid, 'SIGTERM'), 20); }`);

// Worker start-up takes a while on a busy machine: poll generously.
const patience = { timeout: 15_000, interval: 50 };
const fast: RestartPolicy = { initialDelayMs: 10, maxDelayMs: 40, maxRestarts: 3, stableAfterMs: 60_000 };
const app = (name: string, path: string): LauncherApp => ({ name, bundle: path, args: ['--namespace=x'] });
let running: Supervisor[] = [];
function supervise(apps: LauncherApp[], onFailed: (err: AppFailedError) => void = () => undefined): Supervisor {
  const s = new Supervisor({ apps, restart: fast, logger: pino({ level: 'silent' }), onFailed });
  running.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(running.map((s) => s.stop(5000)));
  running = [];
});

describe('Supervisor', () => {
  it('runs each app in its own worker and drains them all on stop, each through its SIGTERM path', async () => {
    const s = supervise([app('a', steady), app('b', steady)]);
    await s.start();
    expect(s.status().map((x) => x.state)).toEqual(['running', 'running']);
    await vi.waitFor(async () => expect((await health({ status: () => s.status() }, '/readyz')).status).toBe(200), patience);
    expect(await s.stop(10_000)).toBe(true);
    expect(s.status().map((x) => x.state)).toEqual(['stopped', 'stopped']);
  });

  it('starts a crashed app again after a backoff and counts the restart; the others keep running', async () => {
    const s = supervise([app('flaky', crashOnce), app('calm', steady)]);
    await s.start();
    await vi.waitFor(() => expect(s.status()[0]).toMatchObject({ state: 'running', restarts: 1 }), patience);
    expect(s.status()[1]).toMatchObject({ state: 'running', restarts: 0 });
    await vi.waitFor(async () => expect((await metrics({ status: () => s.status() })).body).toContain('up{app="flaky",x="1"} 1'), patience);
    expect((await metrics({ status: () => s.status() })).body).toContain('iro_launcher_app_restarts_total{app="flaky"} 1');
  });

  it('fails the launcher when an app keeps crashing, naming it', async () => {
    const failed = new Promise<AppFailedError>((resolve) => supervise([app('loop', crashLoop), app('calm', steady)], resolve).start());
    const err = await failed;
    expect(err.app).toBe('loop');
    expect(err.exitCode).toBe(1);
    expect(err.message).toMatch(/loop exited 4 times in a row \(last exit code 3\)/);
  });

  it('fails at once when an app rejects its flags (exit 2): a restart cannot fix that', async () => {
    const err = await new Promise<AppFailedError>((resolve) => supervise([app('bad', badFlags)], resolve).start());
    expect(err).toMatchObject({ app: 'bad', exitCode: 2 });
  });

  it('keeps an app that signals itself inside its worker and starts it again', async () => {
    const s = supervise([app('sig', selfSignal)]);
    await s.start();
    await vi.waitFor(() => expect(s.status()[0]).toMatchObject({ state: 'running', restarts: 1 }), patience);
  });

  it('terminates an app that does not drain within the budget and reports it', async () => {
    const s = supervise([app('stubborn', stubborn), app('calm', steady)]);
    await s.start();
    expect(await s.stop(300)).toBe(false);
  });

  it('reports an app that is not ready, by name, and refuses a missing bundle before starting anything', async () => {
    process.env['NOT_READY'] = '1';
    const s = supervise([app('cold', steady)]);
    await s.start().finally(() => delete process.env['NOT_READY']);
    await vi.waitFor(async () => expect((await health({ status: () => s.status() }, '/readyz')).body).toBe('[-] cold: informer configs has not synced\n'), patience);
    expect((await health({ status: () => s.status() }, '/healthz')).status).toBe(200);
    await expect(supervise([app('gone', join(dir, 'nope.mjs'))]).start()).rejects.toThrow(/no bundle at .*nope.mjs \(gone\)/);
  });

  it('doubles the restart delay up to its cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(fast, n))).toEqual([10, 20, 40, 40, 40]);
  });
});
