import { createTestNamespace, testKubeConfig } from '@image-registry/testing';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeClient } from '../src/kube-client.ts';
import { Manager } from '../src/manager.ts';
import { Resources } from '../src/resources.ts';
import { FaultProxy } from './support/fault-proxy.ts';
import { metricSum } from './support/harness.ts';

const poll = { timeout: 60_000, interval: 100 };
let stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const s of stops.reverse()) await s();
  stops = [];
});

/** A logger that keeps every line at warn or above. */
function capture() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'warn' }, { write: (s: string) => void lines.push(JSON.parse(s) as { level: number; msg: string }) });
  return { logger, lines };
}

async function healthz(mgr: Manager): Promise<{ status: number; body: string }> {
  const r = await fetch(`http://${mgr.address}/healthz`);
  return { status: r.status, body: await r.text() };
}

describe('watches at idle and under a silent server', () => {
  it('a quiet healthy watch ends at its server timeout and logs nothing', async () => {
    const kc = testKubeConfig();
    const ns = await createTestNamespace(kc, 'cr-quiet');
    const { logger, lines } = capture();
    const registry = new Registry();
    const client = new KubeClient({ kubeConfig: kc, fieldManager: 'probe', registry, logger });
    const mgr = new Manager({ name: 'quiet', client, logger, metricsBindAddress: '127.0.0.1:0' });
    // Nothing changes in this namespace: the server sends no event and no bookmark, only ends each watch.
    mgr.informer(Resources.ConfigMap, { namespace: ns, watchTimeoutSeconds: 1 });
    await mgr.start();
    stops.push(() => mgr.stop());
    const watches = () => metricSum(registry, 'rest_client_requests_total', (l) => l['verb'] === 'watch');
    await expect.poll(watches, poll).toBeGreaterThanOrEqual(4);
    expect(lines).toEqual([]);
    expect((await healthz(mgr)).status).toBe(200);
  });

  it('restarts a watch the server accepts and never answers, and fails liveness until it hears back', async () => {
    const kc = testKubeConfig();
    const ns = await createTestNamespace(kc, 'cr-hang');
    const proxy = await FaultProxy.start(kc);
    stops.push(() => proxy.close());
    const { logger, lines } = capture();
    const client = new KubeClient({ kubeConfig: proxy.kubeConfig, fieldManager: 'probe', registry: new Registry(), logger });
    const mgr = new Manager({ name: 'hang', client, logger, metricsBindAddress: '127.0.0.1:0' });
    const informer = mgr.informer(Resources.ConfigMap, { namespace: ns, idleTimeoutMs: 500, backoff: { initialMs: 100, maxMs: 200 } });
    await mgr.start();
    stops.push(() => mgr.stop());
    await informer.waitForSync();
    expect((await healthz(mgr)).status).toBe(200);

    proxy.mode = 'hang-watches';
    proxy.cutAll(); // every new watch now waits for headers that never come
    await expect.poll(() => proxy.watchRequests, poll).toBeGreaterThanOrEqual(3);
    expect(lines.some((l) => l.msg === 'watch failed')).toBe(true);
    await expect.poll(async () => (await healthz(mgr)).body, poll).toContain('has heard nothing from the API server');

    proxy.mode = 'pass';
    await expect.poll(async () => (await healthz(mgr)).status, poll).toBe(200);
  });
});
