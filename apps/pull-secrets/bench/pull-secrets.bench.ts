// Prints pull-secrets figures; never asserts. For 1,000 and then 10,000 ServiceAccounts (10 per namespace,
// created at once) on a fresh local control plane, the app running as production does (the bundle, one
// process): time until every SA has a valid injected secret, peak and idle RSS, API requests per second,
// writes in an idle window; then one host-list change (a mass refresh) timed the same way.
// Goals at 10,000: converged ≤ 60 s, RSS ≤ 250 MB, 0 writes at idle.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Informer, KubeClient } from '@image-registry/controller-runtime';
import { applyYaml, installCrds, kubeRequest, startControlPlane, workspaceRoot } from '@image-registry/testing';
import { leanPullSecret, leanServiceAccount } from '../src/cache.ts';
import { hostsDigest } from '../src/render/dockercfg.ts';
import { registryHosts } from '../src/render/hosts.ts';
import { SecretResource, ServiceAccountResource, type ServiceObject } from '../src/resources.ts';
import { freePort } from '../test/ports.ts';

const operand = 'openshift-image-registry';
const routeHost = 'default-route-openshift-image-registry.apps.bench.invalid';

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

function memoryMB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

async function counters(url: string): Promise<{ all: number; writes: number }> {
  const text = await (await fetch(url)).text();
  let all = 0;
  let writes = 0;
  for (const m of text.matchAll(/^rest_client_requests_total\{([^}]*)\} (\S+)$/gm)) {
    const verb = /verb="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '';
    all += Number(m[2]);
    if (['create', 'update', 'patch', 'apply', 'delete'].includes(verb)) writes += Number(m[2]);
  }
  return { all, writes };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** NODE_OPTIONS of the shipped Deployment, so the figures are production's. */
const nodeOptions = (() => {
  const text = readFileSync(join(workspaceRoot(), 'deploy/apps/pull-secrets/deployment.yaml'), 'utf8');
  return (/name: NODE_OPTIONS\s+value: (.*)/.exec(text)?.[1] ?? '').split(' ').filter(Boolean);
})();

async function run(namespaces: number, perNamespace: number): Promise<void> {
  const cp = await startControlPlane({ nodes: 1 });
  const kc = cp.kubeConfig;
  try {
    await installCrds(kc, join(workspaceRoot(), 'deploy/crds'));
    await kubeRequest(kc, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: operand } });
    const svc = await kubeRequest<ServiceObject>(kc, 'POST', `/api/v1/namespaces/${operand}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'image-registry' },
      spec: { ports: [{ port: 5000, targetPort: 5000 }] },
    });
    await applyYaml(kc, { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} });
    const names = Array.from({ length: namespaces }, (_, i) => `bench-${i}`);
    await pool(names, 50, (name) => kubeRequest(kc, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));

    // The bench's own view: lean caches, like the app's.
    const client = new KubeClient({ kubeConfig: kc, fieldManager: 'bench' });
    const sas = new Informer({ client, resource: ServiceAccountResource, transform: leanServiceAccount });
    const secrets = new Informer({ client, resource: SecretResource, labelSelector: 'imageregistry.operator.openshift.io/pull-secrets=managed', transform: leanPullSecret });
    sas.start();
    secrets.start();
    await Promise.all([sas.waitForSync(), secrets.waitForSync()]);
    // kube-controller-manager gives every namespace its `default` SA: it is one of the ten.
    while (names.some((ns) => !sas.get({ namespace: ns, name: 'default' }))) await sleep(200);

    const valid = (digest: string) => {
      let n = 0;
      for (const sa of sas.list()) {
        const ns = sa.metadata?.namespace ?? '';
        if (!ns.startsWith('bench-')) continue;
        const ref = sa.metadata?.annotations?.['openshift.io/internal-registry-pull-secret-ref'];
        if (!ref || !(sa.imagePullSecrets ?? []).some((r) => r.name === ref)) continue;
        const s = secrets.get({ namespace: ns, name: ref });
        if (s?.summary?.hosts === digest && s.summary.boundSecretUid === s.metadata?.uid) n++;
      }
      return n;
    };

    const port = await freePort();
    const metrics = `http://127.0.0.1:${port}/metrics`;
    const app = spawn(
      process.execPath,
      [...nodeOptions, join(workspaceRoot(), 'dist/apps/pull-secrets/main.mjs'), `--kubeconfig=${cp.kubeconfigPath}`, '--leader-elect=false', `--metrics-bind-address=127.0.0.1:${port}`, '--log-level=warn'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const pid = app.pid ?? 0;
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryMB(pid).rss)), 200);
    while (!(await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false))) await sleep(200);

    const total = namespaces * perNamespace;
    const wait = async (digest: string) => {
      const started = performance.now();
      const before = await counters(metrics);
      while (valid(digest) < total) await sleep(250);
      const seconds = (performance.now() - started) / 1000;
      const after = await counters(metrics);
      return { seconds, reqPerSecond: (after.all - before.all) / seconds, requests: after.all - before.all };
    };

    // Every ServiceAccount at once (50 requests in flight).
    const started = performance.now();
    const creates = names.flatMap((ns) => Array.from({ length: perNamespace - 1 }, (_, j) => ({ ns, name: `sa-${j}` })));
    let createdSeconds = 0;
    const creating = pool(creates, 50, ({ ns, name }) => kubeRequest(kc, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } })).then(
      () => (createdSeconds = (performance.now() - started) / 1000),
    );
    const digest = hostsDigest(registryHosts({ services: [svc], externalRegistryHostnames: [], additional: [] }));
    const converge = await wait(digest);
    await creating;
    const convergedSeconds = (performance.now() - started) / 1000;

    // Idle: no SA changes for 30 s.
    const idleBefore = await counters(metrics);
    await sleep(30_000);
    const idleAfter = await counters(metrics);
    const idle = memoryMB(pid);

    // One host-list change: every secret gets a new token and an entry for the route host.
    await applyYaml(kc, { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, status: { externalRegistryHostnames: [routeHost] } }, { subresource: 'status' });
    const refresh = await wait(hostsDigest(registryHosts({ services: [svc], externalRegistryHostnames: [routeHost], additional: [] })));
    clearInterval(sampler);
    const end = memoryMB(pid);

    const row = (k: string, v: string) => console.log(`  ${k.padEnd(34)} ${v}`);
    console.log(`\npull-secrets: ${total} ServiceAccounts in ${namespaces} namespaces`);
    row('converged (from first create)', `${convergedSeconds.toFixed(1)} s (the last SA was created at ${createdSeconds.toFixed(1)} s)`);
    row('API requests while converging', `${converge.requests} (${converge.reqPerSecond.toFixed(0)}/s)`);
    row('requests at idle (30 s)', `${idleAfter.all - idleBefore.all} (writes: ${idleAfter.writes - idleBefore.writes})`);
    row('RSS idle', `${idle.rss.toFixed(0)} MB`);
    row('mass refresh (host change)', `${refresh.seconds.toFixed(1)} s, ${refresh.requests} requests (${refresh.reqPerSecond.toFixed(0)}/s)`);
    row('RSS peak (sampled / kernel VmHWM)', `${Math.max(peak, end.rss).toFixed(0)} MB / ${end.peak.toFixed(0)} MB`);
    app.kill('SIGTERM');
    await new Promise((r) => app.once('exit', r));
    await Promise.all([sas.stop(), secrets.stop()]);
    client.close();
  } finally {
    await cp.stop();
  }
}

const sizes = (process.env['PS_BENCH_SIZES'] ?? '100,1000').split(',').map(Number);
for (const namespaces of sizes) await run(namespaces, 10);
