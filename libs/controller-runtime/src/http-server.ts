import { fastify, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import { refusal, type MetricsVerdict } from './metrics-auth.ts';
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

/** `:8080` → all interfaces, port 8080; `127.0.0.1:0` → loopback, a free port. */
export function parseBindAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  if (i < 0) throw new RangeError(`bind address "${address}" needs the form [host]:port (":8080")`);
  const host = address.slice(0, i).replace(/^\[(.*)\]$/, '$1') || '0.0.0.0';
  const port = Number(address.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`bind address "${address}" has no valid port`);
  return { host, port };
}

/** The app's own HTTP server: /healthz, /readyz and /metrics (Prometheus text). */
export function createProbeServer(opts: ProbeServerOptions): FastifyInstance {
  // The https variant is typed apart by fastify; the routes below are the same for both.
  const app = (opts.tls ? fastify({ logger: false, https: opts.tls }) : fastify({ logger: false })) as unknown as FastifyInstance;
  const probe = (check: () => Promise<HealthReport> | HealthReport) => async (_req: unknown, reply: FastifyReply) => {
    const report = await check();
    return reply
      .code(report.ok ? 200 : 503)
      .type('text/plain')
      .send(report.ok ? 'ok\n' : `${report.failures.map((f) => `[-] ${f}`).join('\n')}\n`);
  };
  app.get('/healthz', probe(opts.healthy));
  app.get('/readyz', probe(opts.ready));
  const authorize = opts.authorizeMetrics;
  app.get('/metrics', async (req, reply) => {
    const verdict = authorize ? await authorize(req.headers.authorization) : 'allowed';
    if (verdict !== 'allowed') {
      const { status, body } = refusal(verdict);
      if (status === 401) void reply.header('www-authenticate', 'Bearer realm="metrics"');
      return reply.code(status).type('text/plain').send(body);
    }
    const body = await opts.registry.metrics();
    return reply.type(opts.registry.contentType).send(body);
  });
  return app;
}
