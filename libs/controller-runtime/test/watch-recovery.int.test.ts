import { createTestNamespace, testKubeConfig } from '@image-registry/testing';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { Informer } from '../src/informer.ts';
import { KubeClient } from '../src/kube-client.ts';
import { Resources } from '../src/resources.ts';
import { FaultProxy } from './support/fault-proxy.ts';
import { configMap, metricSum, mirrored, startMirror, userClient } from './support/harness.ts';

const poll = { timeout: 60_000, interval: 100 };
let stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const s of stops.reverse()) await s();
  stops = [];
});

describe('watch recovery against the real API server', () => {
  it('relists after a forced 410 and converges on changes the watch never delivered', async () => {
    const kc = testKubeConfig();
    const ns = await createTestNamespace(kc, 'cr-410');
    const user = userClient(kc);
    const proxy = await FaultProxy.start(kc);
    stops.push(() => proxy.close());
    for (const n of ['gone', 'changed']) await user.create(Resources.ConfigMap, configMap(ns, n, { key: 'v1' }));
    const m = await startMirror(proxy.kubeConfig, ns);
    stops.push(m.stop);
    await expect.poll(() => mirrored(user, ns, 'changed'), poll).toEqual({ key: 'v1' });
    const lists = () => metricSum(m.registry, 'rest_client_requests_total', (l) => l['verb'] === 'list');
    const listsBefore = await lists();

    // The controller loses its watches; meanwhile the world changes.
    proxy.mode = 'down';
    proxy.cutAll();
    await user.delete(Resources.ConfigMap, { namespace: ns, name: 'gone' });
    await user.patch(Resources.ConfigMap, { namespace: ns, name: 'changed' }, { data: { key: 'v2' } });
    await user.create(Resources.ConfigMap, configMap(ns, 'new', { key: 'v1' }));
    // It comes back to a server that says its resourceVersion is too old (etcd compacted).
    proxy.mode = 'expire-watches';
    await expect.poll(lists, poll).toBeGreaterThan(listsBefore);
    proxy.mode = 'pass';

    await expect.poll(() => mirrored(user, ns, 'changed'), poll).toEqual({ key: 'v2' });
    await expect.poll(() => mirrored(user, ns, 'new'), poll).toEqual({ key: 'v1' });
    await expect.poll(() => m.configMaps.get({ namespace: ns, name: 'gone' }), poll).toBeUndefined();
  });

  it('restarts a watch that goes silent and catches up from where it was', async () => {
    const kc = testKubeConfig();
    const ns = await createTestNamespace(kc, 'cr-stall');
    const user = userClient(kc);
    const proxy = await FaultProxy.start(kc);
    stops.push(() => proxy.close());
    const client = new KubeClient({ kubeConfig: proxy.kubeConfig, fieldManager: 'probe', registry: new Registry() });
    const informer = new Informer({ client, resource: Resources.ConfigMap, namespace: ns, idleTimeoutMs: 1500 });
    informer.start();
    stops.push(() => informer.stop());
    await informer.waitForSync();

    proxy.mode = 'stall-watches';
    proxy.cutAll(); // the informer re-watches into a connection that never sends a byte
    await expect.poll(() => proxy.watchRequests, poll).toBeGreaterThanOrEqual(2);
    await user.create(Resources.ConfigMap, configMap(ns, 'late', { key: 'v' }));
    proxy.mode = 'pass';
    // The idle watchdog notices the silence, restarts the watch, and the event arrives.
    await expect.poll(() => informer.get({ namespace: ns, name: 'late' }), poll).toBeDefined();
  });
});
