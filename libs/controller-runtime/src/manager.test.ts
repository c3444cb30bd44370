import { afterEach, describe, expect, it } from 'vitest';
import { fakeHttpApi, json } from '../test/support/fake-http-api.ts';
import { parseBindAddress } from './http-server.ts';
import { KubeClient } from './kube-client.ts';
import { Manager } from './manager.ts';
import { Resources } from './resources.ts';

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** An API server whose ConfigMap list answers only once `release()` is called; watches stay open. */
async function slowApi() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const api = await fakeHttpApi((req, res) => {
    if (req.url.searchParams.get('watch')) {
      res.writeHead(200);
      return;
    }
    void released.then(() => json(res, 200, { metadata: { resourceVersion: '1' }, items: [{ metadata: { name: 'a', namespace: 'ns' } }] }));
  });
  cleanup.push(api.close);
  return { api, release };
}

describe('Manager', () => {
  it('serves /healthz, /readyz (ready once caches sync) and /metrics on its own port', async () => {
    const { api, release } = await slowApi();
    const client = new KubeClient({ kubeConfig: api.kubeConfig, fieldManager: 'image-registry-operator/test' });
    const mgr = new Manager({ name: 'test', client, metricsBindAddress: '127.0.0.1:0' });
    const cms = mgr.informer(Resources.ConfigMap, { namespace: 'ns' });
    const reconciled: string[] = [];
    mgr.controller({ name: 'cm', reconcile: async (req) => void reconciled.push(req.name) }).for(cms);
    await mgr.start();
    cleanup.push(() => mgr.stop());
    const base = `http://${mgr.address}`;

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.text()).toContain('informer v1/ConfigMap in ns has not synced');

    release();
    await expect.poll(async () => (await fetch(`${base}/readyz`)).status).toBe(200);
    await expect.poll(() => reconciled).toEqual(['a']);

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('controller_runtime_reconcile_total{controller="cm",result="success"} 1');
    expect(metrics).toContain('controller_runtime_reconcile_total{controller="cm",result="error"} 0');
    expect(metrics).toContain('workqueue_depth{name="cm",controller="cm"} 0');
    expect(metrics).toMatch(/rest_client_requests_total\{verb="list",code="200"\} 1/);
    expect(metrics).toContain('process_cpu_user_seconds_total');
  });

  it('shares one informer per resource and scope', async () => {
    const { api } = await slowApi();
    const mgr = new Manager({ name: 'test', client: new KubeClient({ kubeConfig: api.kubeConfig, fieldManager: 'm' }) });
    expect(mgr.informer(Resources.Secret, { namespace: 'a' })).toBe(mgr.informer(Resources.Secret, { namespace: 'a' }));
    expect(mgr.informer(Resources.Secret, { namespace: 'a' })).not.toBe(mgr.informer(Resources.Secret, { namespace: 'b' }));
    // Cluster-scoped resources ignore a namespace.
    expect(mgr.informer(Resources.Namespace, { namespace: 'a' })).toBe(mgr.informer(Resources.Namespace));
  });

  it('stops gracefully: in-flight work finishes, then everything closes', async () => {
    const { api, release } = await slowApi();
    release();
    const client = new KubeClient({ kubeConfig: api.kubeConfig, fieldManager: 'm' });
    const mgr = new Manager({ name: 'test', client, metricsBindAddress: '127.0.0.1:0', shutdownTimeoutMs: 10_000 });
    let finished = false;
    let started!: () => void;
    const inFlight = new Promise<void>((r) => (started = r));
    mgr
      .controller({
        name: 'slow',
        reconcile: async () => {
          started();
          await new Promise((r) => setTimeout(r, 300));
          finished = true;
        },
      })
      .for(mgr.informer(Resources.ConfigMap, { namespace: 'ns' }));
    await mgr.start();
    const address = mgr.address;
    await inFlight;
    expect(await mgr.stop()).toBe(true);
    expect(finished).toBe(true);
    await expect(fetch(`http://${address}/healthz`)).rejects.toThrow();
  });
});

describe('parseBindAddress', () => {
  it.each([
    [':8080', { host: '0.0.0.0', port: 8080 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['[::1]:9000', { host: '::1', port: 9000 }],
  ])('%s', (input, expected) => expect(parseBindAddress(input)).toEqual(expected));

  it('says what form it wants', () => {
    expect(() => parseBindAddress('8080')).toThrow(/\[host\]:port/);
  });
});
