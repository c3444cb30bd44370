// Prints controller-runtime figures; never asserts. Run: npx nx run @image-registry/controller-runtime:bench
//   1. event-to-reconcile latency (p50/p99) for 1,000 changes against a real API server
//   2. throughput of a no-op reconciler (cache read + skipped apply) over 10,000 keys, in process
//   3. informer heap and RSS per cached ServiceAccount, for 10,000 real ServiceAccounts
// Uses the control plane at $IRO_TEST_KUBECONFIG, or starts a private one.
import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { startControlPlane, type ControlPlane } from '@image-registry/testing';
import {
  Controller,
  Informer,
  KubeClient,
  Manager,
  Resources,
  type KubeObject,
} from '../src/index.ts';
import { FakeListWatcher } from '../test/support/fake-list-watcher.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (the bench target does)');

let cp: ControlPlane | undefined;
const kc = new KubeConfig();
if (process.env['IRO_TEST_KUBECONFIG']) kc.loadFromFile(process.env['IRO_TEST_KUBECONFIG']);
else {
  console.log('starting a private control plane…');
  cp = await startControlPlane({ nodes: 1 });
  kc.loadFromFile(cp.kubeconfigPath);
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function namespace(client: KubeClient, prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await client.create(Resources.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

// 1. Event-to-reconcile latency ----------------------------------------------------------------
{
  const client = new KubeClient({ kubeConfig: kc, fieldManager: 'bench', registry: new Registry() });
  const ns = await namespace(client, 'bench-latency');
  const names = Array.from({ length: 50 }, (_, i) => `cm-${i}`);
  for (const name of names) await client.create(Resources.ConfigMap, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { seq: '-1' } } as KubeObject);
  const sentAt = new Map<number, number>();
  const arrivedAt = new Map<number, number>();
  const latencies: number[] = [];
  const inRuntime: number[] = [];
  const mgr = new Manager({ name: 'bench', client });
  const cms = mgr.informer(Resources.ConfigMap, { namespace: ns });
  mgr
    .controller({
      name: 'latency',
      workers: 4,
      reconcile: async (req) => {
        const seq = Number((cms.get(req) as { data?: { seq?: string } } | undefined)?.data?.seq);
        const t = sentAt.get(seq);
        if (t !== undefined) {
          const now = performance.now();
          latencies.push(now - t);
          inRuntime.push(now - (arrivedAt.get(seq) ?? NaN));
          sentAt.delete(seq);
        }
      },
    })
    .for(cms);
  // Registered before the controller's handler, so it sees each event first: the runtime's own share.
  cms.on({ update: (_old, obj) => void arrivedAt.set(Number((obj as { data?: { seq?: string } }).data?.seq), performance.now()) });
  await mgr.start();
  await cms.waitForSync();
  await new Promise((r) => setTimeout(r, 500)); // the initial reconciles settle
  const writes: number[] = [];
  for (let seq = 0; seq < 1000; seq++) {
    const name = names[seq % names.length] as string;
    const t = performance.now();
    sentAt.set(seq, t);
    await client.patch(Resources.ConfigMap, { namespace: ns, name }, { data: { seq: String(seq) } });
    writes.push(performance.now() - t);
  }
  // A change superseded by the next one before its reconcile is not measured (the queue merged them).
  const deadline = performance.now() + 10_000;
  while (latencies.length < 1000 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await mgr.stop();
  console.log(`event-to-reconcile, 1,000 changes (from the write being sent): p50 ${ms(quantile(latencies, 0.5))}, p99 ${ms(quantile(latencies, 0.99))}, max ${ms(Math.max(...latencies))}`);
  console.log(`  of which the runtime (watch event received → reconcile start): p50 ${ms(quantile(inRuntime, 0.5))}, p99 ${ms(quantile(inRuntime, 0.99))}`);
  console.log(`  (the write round trip itself: p50 ${ms(quantile(writes, 0.5))}, p99 ${ms(quantile(writes, 0.99))}; reconciles measured: ${latencies.length})`);
  await client.delete(Resources.Namespace, { name: ns });
}

// 2. No-op throughput over 10,000 keys ---------------------------------------------------------
{
  const keys = 10_000;
  const manager = 'image-registry-operator/bench';
  const server = new FakeListWatcher();
  const children = new FakeListWatcher();
  for (let i = 0; i < keys; i++) {
    const name = `cm-${i}`;
    server.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', uid: `u${i}` }, data: { key: `v${i}` } } as KubeObject);
    children.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name,
        namespace: 'ns',
        managedFields: [{ manager, operation: 'Apply', apiVersion: 'v1', fieldsV1: { 'f:data': { 'f:key': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } } }],
        labels: { app: 'bench' },
      },
      data: { key: Buffer.from(`v${i}`).toString('base64') },
    } as KubeObject);
  }
  // No request leaves the process: every apply is skipped against the cache.
  const offline = new KubeConfig();
  offline.loadFromOptions({ clusters: [{ name: 'x', server: 'https://127.0.0.1:1' }], users: [{ name: 'x' }], contexts: [{ name: 'x', cluster: 'x', user: 'x' }], currentContext: 'x' });
  for (const workers of [1, 4]) {
    const registry = new Registry();
    const client = new KubeClient({ kubeConfig: offline, fieldManager: manager, registry });
    const cms = new Informer({ client: server, resource: Resources.ConfigMap });
    const secrets = new Informer({ client: children, resource: Resources.Secret });
    client.setCacheLookup((_res, key) => secrets.get(key));
    let done = 0;
    let finished!: () => void;
    const all = new Promise<void>((r) => (finished = r));
    const ctl = new Controller({
      name: 'noop',
      workers,
      registry,
      rateLimiter: { qps: 0 },
      reconcile: async (req) => {
        const cm = cms.get(req) as { data?: Record<string, string> } & KubeObject;
        await client.apply(Resources.Secret, {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: req.name, namespace: req.namespace, labels: { app: 'bench' } },
          data: { key: Buffer.from(cm.data?.['key'] ?? '').toString('base64') },
        } as KubeObject);
        if (++done === keys) finished();
      },
    }).for(cms);
    cms.start();
    secrets.start();
    await Promise.all([cms.waitForSync(), secrets.waitForSync()]);
    const t = performance.now();
    await ctl.start();
    await all;
    const elapsed = performance.now() - t;
    const skipped = (await registry.getSingleMetric('apply_skipped_total')?.get())?.values[0]?.value;
    console.log(`no-op reconcile of ${keys.toLocaleString('en')} keys, ${workers} worker(s): ${(elapsed / 1000).toFixed(2)} s, ${Math.round(keys / (elapsed / 1000)).toLocaleString('en')} reconciles/s (applies skipped: ${skipped})`);
    await ctl.stop();
    await Promise.all([cms.stop(), secrets.stop()]);
  }
}

// 3. Informer memory per cached ServiceAccount ----------------------------------------------------
{
  const count = 10_000;
  const client = new KubeClient({ kubeConfig: kc, fieldManager: 'bench', registry: new Registry() });
  const ns = await namespace(client, 'bench-memory');
  const t = performance.now();
  await pool(
    Array.from({ length: count }, (_, i) => `sa-${i}`),
    32,
    (name) => client.create(Resources.ServiceAccount, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns, labels: { app: 'bench' } } }),
  );
  console.log(`(created ${count.toLocaleString('en')} ServiceAccounts in ${((performance.now() - t) / 1000).toFixed(1)} s)`);
  // Measured as what the cache holds: heap with the informer, minus heap once it is dropped and collected.
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((r) => setImmediate(r));
    }
    return process.memoryUsage();
  };
  for (const variant of ['as served (with managedFields)', 'with a transform deleting managedFields'] as const) {
    let informer: Informer | undefined = new Informer({
      client,
      resource: Resources.ServiceAccount,
      namespace: ns,
      ...(variant.startsWith('with a transform')
        ? {
            // In place: the object is freshly parsed and not shared yet. (A spread copy costs more than it saves.)
            transform: (o: KubeObject) => {
              delete o.metadata?.managedFields;
              return o;
            },
          }
        : {}),
    });
    const before = await settle();
    informer.start();
    await informer.waitForSync();
    const size = informer.size;
    const held = await settle();
    await informer.stop();
    informer = undefined;
    const after = await settle();
    const heap = held.heapUsed - after.heapUsed;
    console.log(
      `informer, ${size.toLocaleString('en')} ServiceAccounts ${variant}: heap ${(heap / 2 ** 20).toFixed(1)} MiB (${(heap / size / 1024).toFixed(2)} KiB/object; ${((held.heapUsed - before.heapUsed) / size / 1024).toFixed(2)} KiB/object measured on the way up), RSS +${((held.rss - before.rss) / 2 ** 20).toFixed(1)} MiB`,
    );
  }
  await client.delete(Resources.Namespace, { name: ns });
}

await cp?.stop();
