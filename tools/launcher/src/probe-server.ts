import type * as Http from 'node:http';
import { createRequire } from 'node:module';
import { mergeMetrics, type AppMetrics } from './metrics-merge.ts';
import type { AppStatus } from './supervisor.ts';

// Required, not imported: Node 24's ES module view of node:http reads its WebSocket getter, which loads
// the bundled undici (~12 MiB resident) into a process that never uses it.
const { createServer, get } = createRequire(import.meta.url)('node:http') as typeof Http;
type Server = Http.Server;

interface Reply {
  status: number;
  body: string;
}

/** GET http://127.0.0.1:<port><path> from a worker's own probe server; undefined when nothing answers. */
function fetchWorker(port: number, path: string, timeoutMs: number): Promise<Reply | undefined> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve(err.message === 'timeout' ? { status: 0, body: `no answer within ${timeoutMs} ms` } : undefined));
  });
}

/** The launcher's own figures per app, in the same exposition as the apps' (labelled by the merge). */
function launcherMetrics(s: AppStatus): string {
  return [
    '# HELP iro_launcher_app_up 1 while the app runs in its worker, 0 while it is restarting or stopped.',
    '# TYPE iro_launcher_app_up gauge',
    `iro_launcher_app_up ${s.state === 'running' ? 1 : 0}`,
    "# HELP iro_launcher_app_restarts_total Times the app's worker exited unexpectedly and was started again.",
    '# TYPE iro_launcher_app_restarts_total counter',
    `iro_launcher_app_restarts_total ${s.restarts}`,
    '',
  ].join('\n');
}

export interface ProbeServerOptions {
  status: () => AppStatus[];
  /** How long a worker may take to answer a probe before it counts as hung (default 5 s). */
  timeoutMs?: number;
}

/**
 * Liveness fails only when a running app says it is unhealthy or does not answer (a blocked event
 * loop); an app being restarted is the launcher's business and shows in readiness and in
 * `iro_launcher_app_up`. Readiness needs every app running and ready.
 */
export async function health(o: ProbeServerOptions, path: '/healthz' | '/readyz'): Promise<Reply> {
  const timeoutMs = o.timeoutMs ?? 5000;
  const failures = await Promise.all(
    o.status().map(async (s): Promise<string[]> => {
      if (s.state !== 'running' || s.port === undefined) return path === '/readyz' ? [`${s.name}: ${s.state}`] : [];
      const r = await fetchWorker(s.port, path, timeoutMs);
      if (!r) return path === '/readyz' ? [`${s.name}: its probe server is not listening yet`] : [];
      if (r.status === 200) return [];
      const lines = r.body.split('\n').filter(Boolean).map((l) => l.replace(/^\[-\] /, ''));
      return (lines.length ? lines : [`answered ${r.status}`]).map((l) => `${s.name}: ${l}`);
    }),
  );
  const all = failures.flat();
  return all.length === 0 ? { status: 200, body: 'ok\n' } : { status: 503, body: `${all.map((f) => `[-] ${f}`).join('\n')}\n` };
}

export async function metrics(o: ProbeServerOptions): Promise<Reply> {
  const parts = await Promise.all(
    o.status().map(async (s): Promise<AppMetrics[]> => {
      const own = { app: s.name, text: launcherMetrics(s) };
      if (s.state !== 'running' || s.port === undefined) return [own];
      const r = await fetchWorker(s.port, '/metrics', o.timeoutMs ?? 5000);
      return r?.status === 200 ? [own, { app: s.name, text: r.body }] : [own];
    }),
  );
  return { status: 200, body: mergeMetrics(parts.flat()) };
}

/** One port for the pod: /healthz, /readyz and every app's /metrics with an `app` label. */
export function createProbeServer(o: ProbeServerOptions): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const handler =
      path === '/healthz' || path === '/readyz' ? health(o, path) : path === '/metrics' ? metrics(o) : Promise.resolve({ status: 404, body: 'not found\n' });
    handler
      .then((r) => {
        res.writeHead(r.status, { 'content-type': path === '/metrics' ? 'text/plain; version=0.0.4; charset=utf-8' : 'text/plain' });
        res.end(r.body);
      })
      .catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`${String(err)}\n`);
      });
  });
}
