import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { refusal, type MetricsVerdict } from './metrics-auth.ts';
import { http } from './node-http.ts';
import type { KeyPair } from './metrics-tls.ts';

export interface ProbeServerOptions {
  registry: Registry;
  /** Liveness: the process can make progress. */
  healthy: () => Promise<HealthReport> | HealthReport;
  /** Readiness: caches are synced and every ready check passes. */
  ready: () => Promise<HealthReport> | HealthReport;
  /** Serve HTTPS with this pair (the probes too: kubelet does not verify a probe's certificate). */
  tls?: KeyPair;
  /** Decides each /metrics request from its Authorization header; absent: /metrics is open. Probes stay open. */
  authorizeMetrics?: (authorization: string | undefined) => Promise<MetricsVerdict>;
}

export interface HealthReport {
  ok: boolean;
  /** One line per check that failed, shown in the response body. */
  failures: string[];
}

/** The probe server as the manager and registry-auth use it. */
export interface ProbeServer {
  listen(at: { host: string; port: number }): Promise<void>;
  /** Where it listens, once listening. */
  address(): AddressInfo | undefined;
  /** Serves a renewed certificate to new connections (HTTPS only). */
  setSecureContext(pair: KeyPair): void;
  /** Stops accepting, drops idle keep-alive connections, and resolves when the requests in flight are answered. */
  close(): Promise<void>;
}

/** `:8080` → all interfaces, port 8080; `127.0.0.1:0` → loopback, a free port. */
export function parseBindAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  if (i < 0) throw new RangeError(`bind address "${address}" needs the form [host]:port (":8080")`);
  const host = address.slice(0, i).replace(/^\[(.*)\]$/, '$1') || '0.0.0.0';
  const port = Number(address.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`bind address "${address}" has no valid port`);
  return { host, port };
}

interface Reply {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

const probeReply = async (check: () => Promise<HealthReport> | HealthReport): Promise<Reply> => {
  const report = await check();
  return report.ok ? { status: 200, body: 'ok\n' } : { status: 503, body: `${report.failures.map((f) => `[-] ${f}`).join('\n')}\n` };
};

async function metricsReply(opts: ProbeServerOptions, authorization: string | undefined): Promise<Reply> {
  const verdict = opts.authorizeMetrics ? await opts.authorizeMetrics(authorization) : 'allowed';
  if (verdict !== 'allowed') {
    const { status, body } = refusal(verdict);
    return { status, body, ...(status === 401 ? { headers: { 'www-authenticate': 'Bearer realm="metrics"' } } : {}) };
  }
  return { status: 200, body: await opts.registry.metrics(), contentType: opts.registry.contentType };
}

function route(opts: ProbeServerOptions, req: IncomingMessage): Promise<Reply> {
  const path = (req.url ?? '/').split('?')[0];
  const handler =
    path === '/healthz'
      ? () => probeReply(opts.healthy)
      : path === '/readyz'
        ? () => probeReply(opts.ready)
        : path === '/metrics'
          ? () => metricsReply(opts, req.headers.authorization)
          : undefined;
  if (!handler) return Promise.resolve({ status: 404, body: 'not found: this server serves /healthz, /readyz and /metrics\n' });
  if (req.method !== 'GET' && req.method !== 'HEAD') return Promise.resolve({ status: 405, body: 'only GET and HEAD\n', headers: { allow: 'GET, HEAD' } });
  return handler();
}

/**
 * The app's own HTTP server: /healthz, /readyz and /metrics (Prometheus text). On node:http rather than
 * fastify: three fixed routes need no router, and fastify with its schema compilers cost every app
 * about 20 MB of idle RSS (issue #19).
 */
export function createProbeServer(opts: ProbeServerOptions): ProbeServer {
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    route(opts, req)
      .catch((): Reply => ({ status: 500, body: 'internal error\n' }))
      .then((r) => {
        res.writeHead(r.status, { 'content-type': r.contentType ?? 'text/plain; charset=utf-8', ...r.headers });
        res.end(req.method === 'HEAD' ? undefined : r.body);
      });
  };
  const server: Server | HttpsServer = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handle) : http.createServer(handle);
  return {
    listen: ({ host, port }) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      }),
    address: () => (server.address() as AddressInfo | null) ?? undefined,
    setSecureContext: (pair) => (server as HttpsServer).setSecureContext?.({ key: pair.key, cert: pair.cert }),
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
