import { createTestNamespace, startControlPlane, type ControlPlane } from '@image-registry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Resources } from '../src/resources.ts';
import { compactEtcd, etcdClientUrl } from './support/etcd.ts';
import { FaultProxy } from './support/fault-proxy.ts';
import { configMap, metricSum, mirrored, startMirror, userClient } from './support/harness.ts';

// A private control plane: these tests restart kube-apiserver and compact etcd.
const poll = { timeout: 90_000, interval: 200 };
let cp: ControlPlane;

beforeAll(async () => {
  cp = await startControlPlane({ nodes: 1 });
});
afterAll(async () => {
  await cp?.stop();
});

describe('kube-apiserver restarts and etcd compaction', () => {
  it('resumes watches after kube-apiserver restarts, and reaches the final state', async () => {
    const kc = cp.kubeConfig;
    const ns = await createTestNamespace(kc, 'cr-restart');
    const user = userClient(kc);
    await user.create(Resources.ConfigMap, configMap(ns, 'before', { key: 'v1' }));
    const m = await startMirror(kc, ns);
    try {
      await expect.poll(() => mirrored(user, ns, 'before'), poll).toEqual({ key: 'v1' });
      await cp.restartApiServer();
      // Changes right after the restart, while the informers are still reconnecting.
      await user.patch(Resources.ConfigMap, { namespace: ns, name: 'before' }, { data: { key: 'v2' } });
      await user.create(Resources.ConfigMap, configMap(ns, 'after', { key: 'v1' }));
      await expect.poll(() => mirrored(user, ns, 'before'), poll).toEqual({ key: 'v2' });
      await expect.poll(() => mirrored(user, ns, 'after'), poll).toEqual({ key: 'v1' });
      // And the watches stay live afterwards.
      await user.patch(Resources.ConfigMap, { namespace: ns, name: 'after' }, { data: { key: 'v3' } });
      await expect.poll(() => mirrored(user, ns, 'after'), poll).toEqual({ key: 'v3' });
    } finally {
      await m.stop();
    }
  });

  it('relists on a real 410 when etcd compacted past its resourceVersion, without losing the final state', async () => {
    const kc = cp.kubeConfig;
    const ns = await createTestNamespace(kc, 'cr-compact');
    const user = userClient(kc);
    const proxy = await FaultProxy.start(kc);
    for (const n of ['gone', 'changed']) await user.create(Resources.ConfigMap, configMap(ns, n, { key: 'v1' }));
    const m = await startMirror(proxy.kubeConfig, ns);
    try {
      await expect.poll(() => mirrored(user, ns, 'changed'), poll).toEqual({ key: 'v1' });
      const lists = () => metricSum(m.registry, 'rest_client_requests_total', (l) => l['verb'] === 'list');
      const listsBefore = await lists();

      // Partitioned from the controller: the world changes, history is compacted, the watch cache restarts.
      proxy.mode = 'down';
      proxy.cutAll();
      await user.delete(Resources.ConfigMap, { namespace: ns, name: 'gone' });
      await user.patch(Resources.ConfigMap, { namespace: ns, name: 'changed' }, { data: { key: 'v2' } });
      await user.create(Resources.ConfigMap, configMap(ns, 'new', { key: 'v1' }));
      await compactEtcd(etcdClientUrl(cp.runDir));
      await cp.restartApiServer();
      proxy.mode = 'pass';

      // The old resourceVersion is gone for real: the server answers 410 and the informers list again.
      await expect.poll(lists, poll).toBeGreaterThan(listsBefore);
      await expect.poll(() => mirrored(user, ns, 'changed'), poll).toEqual({ key: 'v2' });
      await expect.poll(() => mirrored(user, ns, 'new'), poll).toEqual({ key: 'v1' });
      expect(m.configMaps.get({ namespace: ns, name: 'gone' })).toBeUndefined();
    } finally {
      await m.stop();
      await proxy.close();
    }
  });
});
