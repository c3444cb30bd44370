// Prints what the routes app costs; never asserts. The app runs as production runs it, the bundle in its
// own process (Route backend, as on OpenShift), against a fresh control plane; this script plays OpenShift's router, admitting each Route
// as soon as it sees it. Figures: time from `spec.defaultRoute: true` to the host in
// images.config.openshift.io/cluster status (median and max of BENCH_RUNS, default 10), split into the
// app's two hops; and the app's RSS at idle. Polls every 10 ms, so figures carry ~10 ms of resolution.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyYaml, createTestNamespace, installCrds, startControlPlane, workspaceRoot } from '@image-registry/testing';
import { spawnRoutesApp } from '../test/process.ts';
import { admitRoute, applyConfig, getOrUndefined, imageStatus, routesPath } from '../test/support.ts';

const runs = Number(process.env['BENCH_RUNS'] ?? 10);
const domain = 'apps.bench.test';
// As production runs it: the bundle (`bundle` target), one process.
execFileSync(process.execPath, [join(workspaceRoot(), 'tools/scripts/bundle.mjs'), 'apps/routes'], { cwd: workspaceRoot(), stdio: 'inherit' });
const cp = await startControlPlane({ nodes: 1 });
const kc = cp.kubeConfig;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, f: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

try {
  await installCrds(kc, join(workspaceRoot(), 'deploy/crds'));
  const ns = await createTestNamespace(kc, 'bench');
  await applyYaml(kc, { apiVersion: 'config.openshift.io/v1', kind: 'Ingress', metadata: { name: 'cluster' }, spec: { domain } });
  await applyConfig(kc, { defaultRoute: false });
  const app = spawnRoutesApp(cp.kubeconfigPath, [`--namespace=${ns}`, '--metrics-bind-address=0', '--log-level=warn'], join(workspaceRoot(), 'dist/apps/routes/main.mjs'));
  const host = `default-route-${ns}.${domain}`;
  await until('the image config', async () => (await imageStatus(kc)) !== undefined);

  const toRoute: number[] = [];
  const toHost: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await applyConfig(kc, { defaultRoute: true });
    await until('the route', () => getOrUndefined(kc, routesPath(ns, 'default-route')));
    const t1 = performance.now();
    await admitRoute(kc, ns, 'default-route', host);
    const t2 = performance.now();
    await until('the hostname', async () => (await imageStatus(kc))?.externalRegistryHostnames?.[0] === host);
    const t3 = performance.now();
    toRoute.push(t1 - t0);
    toHost.push(t3 - t2);
    total.push(t1 - t0 + (t3 - t2));
    await applyConfig(kc, { defaultRoute: false });
    await until('no hostname', async () => (await imageStatus(kc))?.externalRegistryHostnames?.length === 0);
  }

  await sleep(15_000); // idle: caches synced, nothing queued
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${app.child.pid}/status`, 'utf8'))?.[1] ?? NaN);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
  console.log(`routes bench (${runs} runs, Route backend, router simulated by the bench)`);
  console.log(`  defaultRoute: true → Route default-route exists:          ${fmt(toRoute)}`);
  console.log(`  Route admitted → host in image config status:           ${fmt(toHost)}`);
  console.log(`  app's share of defaultRoute: true → hostname published: ${fmt(total)}`);
  console.log(`  RSS at idle: ${(rssKb / 1024).toFixed(0)} MiB`);
  await app.stop();
} finally {
  await cp.stop();
}
