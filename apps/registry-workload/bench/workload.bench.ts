// Prints registry-workload figures; never asserts. Runs the app as production does (the bundle from the
// `bundle` target, one process) against a fresh control plane: Config change → Deployment updated (p50/p99 over 50 changes), API requests in
// an idle minute, and the app's RSS at idle. Goals: p99 < 300 ms, zero writes at idle, RSS < 80 MB.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Informer, KubeClient, Resources, type KubeObject } from '@image-registry/controller-runtime';
import { applyYaml, installCrds, kubeRequest, startControlPlane, workspaceRoot } from '@image-registry/testing';

const namespace = 'openshift-image-registry';
const changes = 50;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

interface Sample {
  verb: string;
  value: number;
}

async function requestCounts(metricsUrl: string): Promise<{ all: number; writes: number; rssMB: number }> {
  const text = await (await fetch(metricsUrl)).text();
  const samples: Sample[] = [];
  for (const m of text.matchAll(/^rest_client_requests_total\{([^}]*)\} (\S+)$/gm)) {
    samples.push({ verb: /verb="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '', value: Number(m[2]) });
  }
  const rss = Number(/^process_resident_memory_bytes (\S+)$/m.exec(text)?.[1] ?? 0);
  const writes = samples.filter((s) => ['create', 'update', 'patch', 'apply', 'delete'].includes(s.verb));
  return {
    all: samples.reduce((n, s) => n + s.value, 0),
    writes: writes.reduce((n, s) => n + s.value, 0),
    rssMB: rss / 1024 / 1024,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const cp = await startControlPlane();
const kc = cp.kubeConfig;
await installCrds(kc, join(workspaceRoot(), 'deploy/crds'));
await kubeRequest(kc, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
await applyYaml(kc, {
  apiVersion: 'imageregistry.operator.openshift.io/v1',
  kind: 'Config',
  metadata: { name: 'cluster' },
  spec: { managementState: 'Managed', replicas: 1, logLevel: 'Normal', storage: { emptyDir: {} } },
});
await applyYaml(
  kc,
  {
    apiVersion: 'imageregistry.operator.openshift.io/v1',
    kind: 'Config',
    metadata: { name: 'cluster' },
    status: {
      storage: { emptyDir: {} },
      conditions: [{ type: 'StorageExists', status: 'True', reason: 'Creation Successful', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
    },
  },
  { fieldManager: 'image-registry-operator/storage', subresource: 'status' },
);

const port = await freePort();
const metricsUrl = `http://127.0.0.1:${port}/metrics`;
const app = spawn(
  process.execPath,
  [
    join(workspaceRoot(), 'dist/apps/registry-workload/main.mjs'),
    `--kubeconfig=${cp.kubeconfigPath}`,
    `--namespace=${namespace}`,
    '--leader-elect=false',
    `--metrics-bind-address=127.0.0.1:${port}`,
    '--log-level=warn',
  ],
  { stdio: ['ignore', 'inherit', 'inherit'], env: { PATH: process.env['PATH'] ?? '' } },
);

// Watch the Deployment the way any client would, to time when a change lands.
const watcher = new KubeClient({ kubeConfig: kc, fieldManager: 'bench' });
const deployments = new Informer({ client: watcher, resource: Resources.Deployment, namespace });
deployments.start();
await deployments.waitForSync();
const logLevelOf = (d: KubeObject | undefined): string | undefined =>
  (d as { spec?: { template?: { spec?: { containers?: { env?: { name: string; value?: string }[] }[] } } } } | undefined)?.spec?.template?.spec?.containers?.[0]?.env?.find(
    (e) => e.name === 'REGISTRY_LOG_LEVEL',
  )?.value;
const landed = (want: string) =>
  new Promise<void>((resolve) => {
    if (logLevelOf(deployments.get({ namespace, name: 'image-registry' })) === want) return resolve();
    const off = deployments.on({
      add: (d) => logLevelOf(d) === want && (off(), resolve()),
      update: (_old, d) => logLevelOf(d) === want && (off(), resolve()),
    });
  });
await landed('info');

const latencies: number[] = [];
for (let i = 0; i < changes; i++) {
  const debug = i % 2 === 0;
  const done = landed(debug ? 'debug' : 'info');
  const started = performance.now();
  await kubeRequest(
    kc,
    'PATCH',
    '/apis/imageregistry.operator.openshift.io/v1/configs/cluster',
    { spec: { logLevel: debug ? 'Debug' : 'Normal' } },
    'application/merge-patch+json',
  );
  await done;
  latencies.push(performance.now() - started);
}
latencies.sort((a, b) => a - b);
console.log(`Config change → Deployment updated (${changes} changes): p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms (goal p99 < 300 ms)`);

// Idle: let the last rollout settle, then count a quiet minute.
await new Promise((r) => setTimeout(r, 15_000));
const before = await requestCounts(metricsUrl);
await new Promise((r) => setTimeout(r, 60_000));
const after = await requestCounts(metricsUrl);
console.log(`API requests in an idle minute: ${after.all - before.all} (writes: ${after.writes - before.writes}; goal 0 writes)`);
console.log(`RSS at idle: ${after.rssMB.toFixed(0)} MB (goal < 80 MB)`);

await deployments.stop();
watcher.close();
app.kill('SIGTERM');
await new Promise((r) => app.once('exit', r));
await cp.stop();
