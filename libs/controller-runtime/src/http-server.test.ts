import { request } from 'node:http';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createProbeServer, type ProbeServer } from './http-server.ts';

let server: ProbeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(opts: Partial<Parameters<typeof createProbeServer>[0]> = {}): Promise<number> {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'test' });
  server = createProbeServer({ registry, healthy: () => ({ ok: true, failures: [] }), ready: () => ({ ok: false, failures: ['informer configs has not synced'] }), ...opts });
  await server.listen({ host: '127.0.0.1', port: 0 });
  return server.address()?.port ?? 0;
}

function call(port: number, method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the probe server', () => {
  it('answers the probes with each failed check on its own line', async () => {
    const port = await start();
    expect(await call(port, 'GET', '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await call(port, 'GET', '/readyz?verbose')).toMatchObject({ status: 503, body: '[-] informer configs has not synced\n' });
    expect(await call(port, 'HEAD', '/healthz')).toMatchObject({ status: 200, body: '' });
  });

  it('serves the registry in the Prometheus text format', async () => {
    const port = await start();
    const r = await call(port, 'GET', '/metrics');
    expect(r.status).toBe(200);
    expect(String(r.headers['content-type'])).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('asks for a bearer token when the authorizer refuses an anonymous scrape, and says why otherwise', async () => {
    const port = await start({ authorizeMetrics: async (h) => (h === undefined ? 'unauthenticated' : h === 'Bearer ok' ? 'allowed' : 'forbidden') });
    const anonymous = await call(port, 'GET', '/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect((await call(port, 'GET', '/metrics', { authorization: 'Bearer no' })).status).toBe(403);
    expect((await call(port, 'GET', '/metrics', { authorization: 'Bearer ok' })).status).toBe(200);
    // The probes stay open: kubelet sends no token.
    expect((await call(port, 'GET', '/healthz')).status).toBe(200);
  });

  it('refuses other paths and methods, and a failing check is a 500 without its message', async () => {
    const port = await start({ healthy: () => Promise.reject(new Error('secret detail')) });
    expect((await call(port, 'GET', '/nope')).status).toBe(404);
    expect(await call(port, 'POST', '/metrics')).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD' } });
    expect(await call(port, 'GET', '/healthz')).toMatchObject({ status: 500, body: 'internal error\n' });
  });
});
