import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  applyYaml,
  createServingCertificate,
  createTestNamespace,
  kubeRequest,
  serviceAccountKubeConfig,
  startRegistry,
  testKubeConfig,
  writeKubeconfigFile,
  type Registry,
} from '@image-registry/testing';
import { basic, bindRole, imageRoles, serviceAccountToken, shippedRbac } from './support.ts';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

// The app as shipped: its own process, the shipped RBAC, trace logging, SIGTERM.
describe('the registry-auth process', () => {
  const admin = testKubeConfig();
  let registry: Registry;
  let proc: ChildProcess;
  let output = '';
  let port: number;
  let metricsPort: number;
  let ca: string;
  let ns: string;
  let token: string;

  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port, method, path, headers, ca, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });

  beforeAll(async () => {
    const proxyNs = await createTestNamespace(admin, 'auth-app');
    await kubeRequest(admin, 'POST', `/api/v1/namespaces/${proxyNs}/serviceaccounts`, { metadata: { name: 'registry' } });
    await applyYaml(admin, [...shippedRbac(proxyNs), ...imageRoles()]);
    const kubeconfig = writeKubeconfigFile(await serviceAccountKubeConfig(admin, proxyNs, 'registry'));
    registry = await startRegistry({ env: {} });
    const tls = await createServingCertificate();
    ca = tls.caCert;
    const dir = mkdtempSync(join(tmpdir(), 'iro-auth-app-'));
    writeFileSync(join(dir, 'tls.crt'), tls.cert);
    writeFileSync(join(dir, 'tls.key'), tls.key);
    [port, metricsPort] = await Promise.all([freePort(), freePort()]);
    proc = spawn(
      process.execPath,
      [
        main,
        `--kubeconfig=${kubeconfig}`,
        `--listen-address=127.0.0.1:${port}`,
        `--metrics-bind-address=127.0.0.1:${metricsPort}`,
        `--upstream=${registry.url}`,
        `--tls-cert-file=${join(dir, 'tls.crt')}`,
        `--tls-key-file=${join(dir, 'tls.key')}`,
        '--log-level=trace',
        '--shutdown-delay=5s',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    proc.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    await vi.waitFor(() => expect(output).toContain('registry-auth listening'), { timeout: 60_000, interval: 100 });
    ns = await createTestNamespace(admin, 'auth-app-user');
    await bindRole(admin, ns, 'system:image-pusher', { kind: 'ServiceAccount', namespace: ns, name: 'default' });
    token = await serviceAccountToken(admin, ns);
  });
  afterAll(async () => {
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
    await registry?.stop();
  });

  it('never writes a token or an Authorization header to its logs', async () => {
    await expect.poll(async () => (await call('POST', `/v2/${ns}/app/blobs/uploads/`, { authorization: basic(token) })).status, { timeout: 30_000, interval: 500 }).toBe(202);
    const forged = 'forged-token-value-0123456789';
    const requests: [string, string, Record<string, string>][] = [
      ['GET', '/v2/', { authorization: basic(token) }],
      ['GET', '/v2/', { authorization: `Bearer ${token}` }],
      ['GET', `/v2/${ns}/app/tags/list`, { authorization: `Bearer ${token}` }],
      ['PUT', `/v2/other-ns/app/manifests/1`, { authorization: basic(token) }],
      ['GET', '/v2/', { authorization: `Bearer ${forged}` }],
      ['GET', '/v2/', { authorization: `Basic !!${forged}` }],
    ];
    for (const [method, path, headers] of requests) await call(method, path, headers);
    await expect.poll(() => output, { timeout: 10_000 }).toContain('request denied');
    for (const secret of [token, token.split('.')[2] ?? token, basic(token).slice('Basic '.length), forged]) {
      expect(output).not.toContain(secret);
    }
    expect(output).not.toMatch(/"authorization":"(Basic|Bearer)/i);
  });

  it('counts requests by action and decision, and review cache hits, on /metrics', async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(text).toMatch(/registry_auth_requests_total\{verb="push",decision="allowed"\} [1-9]/);
    expect(text).toMatch(/registry_auth_requests_total\{verb="push",decision="denied"\} [1-9]/);
    expect(text).toMatch(/registry_auth_review_cache_lookups_total\{review="token",result="hit"\} [1-9]/);
    expect(text).toMatch(/registry_auth_upstream_duration_seconds_count\{verb="push"\} [1-9]/);
    expect(text).toContain('rest_client_requests_total{verb="create",code="201"}');
  });

  it('on SIGTERM serves on unready for the shutdown delay, then finishes an upload in flight, refuses new connections, and exits 0', async () => {
    const start = await call('POST', `/v2/${ns}/app/blobs/uploads/`, { authorization: basic(token) });
    expect(start.status).toBe(202);
    const location = new URL(String(start.headers.location));
    // The registry wrote its upload location for the proxy's address and scheme.
    expect(location.protocol).toBe('https:');
    expect(location.port).toBe(String(port));
    const chunk = Buffer.alloc(256 * 1024, 7);
    const answer = new Promise<Answer>((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', port, method: 'PATCH', path: location.pathname + location.search, ca, agent: false, headers: { authorization: basic(token), 'content-type': 'application/octet-stream' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.write(chunk);
      // The rest goes only once the process drains: the request is in flight across SIGTERM and the delay.
      void expect
        .poll(() => output, { timeout: 30_000, interval: 100 })
        .toContain('draining: no new connections')
        .then(() => req.end(chunk), reject);
    });
    // Wait until the upload reached the proxy, then stop it.
    await expect.poll(() => output, { timeout: 10_000 }).toContain('blobs/uploads/' + location.pathname.split('/').pop());
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    // Unready at once, yet still serving new requests while the endpoints drop the pod.
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status, { timeout: 10_000, interval: 100 }).toBe(503);
    expect((await call('GET', '/v2/', { authorization: basic(token) })).status).toBe(200);
    const result = await answer;
    expect(result.status).toBe(202);
    expect(result.headers.range).toBe(`0-${2 * chunk.length - 1}`);
    await expect(call('GET', '/v2/', { authorization: basic(token) })).rejects.toThrow(/ECONNREFUSED|ECONNRESET|socket hang up/);
    expect(await exited).toBe(0);
  });
});
