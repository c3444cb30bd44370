// Idle footprint of the launcher with every app co-located: a private control plane, Config/cluster on
// emptyDir, the launcher running all eight bundles or $BENCH_APPS (registry-auth in front of nothing, as
// idle as it gets), ClusterOperator Available, then VmRSS (from /proc) and CPU over an idle window. Prints
// figures; asserts nothing. Upstream runs all of its controllers in 106–114 MiB (../shared/bench); the goal
// is ≤ 1.5× that.
//   npx nx run @image-registry/launcher:bench
//   BENCH_IDLE_SECONDS=60 BENCH_VARIANTS=default,young-4mb BENCH_APPS=registry-workload,storage,… BENCH_NODE_FLAGS=
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appRuntime, createPki, freePort, installCrds, kubeRequest, startControlPlane } from '@image-registry/testing';
import {
  applyEmptyDirConfig,
  bundle,
  bundleDir,
  clusterOperatorConditions,
  deleteSingletons,
  launcherBundle,
  root,
} from '../test/support.ts';

// BENCH_APPS: the overlay's seven (registry-auth runs in the registry pod) or any subset; default all eight.
const apps = (
  process.env['BENCH_APPS'] ??
  'registry-workload,storage,status,routes,node-ca,pull-secrets,pruner,registry-auth'
).split(',');
const idleSeconds = Number(process.env['BENCH_IDLE_SECONDS'] ?? 60);
const variants: Record<string, string[]> = {
  default: [],
  'young-4mb': ['--worker-max-young-generation-mb=4'],
  'young-4mb-old-64mb': ['--worker-max-young-generation-mb=4', '--worker-max-old-generation-mb=64'],
};
const chosen = (process.env['BENCH_VARIANTS'] ?? 'default,young-4mb').split(',');
// Node's flags as the image runs it (deploy/Containerfile's ENTRYPOINT, between node and the bundle), or
// BENCH_NODE_FLAGS (space-separated; empty for none) to compare.
const imageNodeFlags = (process.env['BENCH_NODE_FLAGS']?.split(' ') ?? appRuntime.entrypoint.slice(1, -1)).filter(Boolean);

function procStatus(pid: number, key: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${key}:`));
  return Number(line?.split(/\s+/)[1] ?? NaN) / 1024; // kB → MiB
}
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100 Hz)
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
  return Date.now() - t0;
}

await bundle(apps);
const cp = await startControlPlane();
const rows: string[] = [];
try {
  await installCrds(cp.kubeConfig, join(root, 'deploy/crds'));
  const dir = mkdtempSync(join(tmpdir(), 'launcher-bench-'));
  const pki = await createPki();
  writeFileSync(join(dir, 'tls.crt'), pki.serving.cert);
  writeFileSync(join(dir, 'tls.key'), pki.serving.key);
  const logDir = join(root, 'tmp/launcher-bench');
  mkdirSync(logDir, { recursive: true });
  for (const variant of chosen) {
    const flags = variants[variant];
    if (!flags)
      throw new Error(`BENCH_VARIANTS: no variant ${variant} (${Object.keys(variants).join(', ')})`);
    const namespace = `bench-${variant}`;
    await deleteSingletons(cp.kubeConfig);
    await kubeRequest(cp.kubeConfig, 'POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    }).catch(() => undefined);
    await applyEmptyDirConfig(cp.kubeConfig);
    const log = openSync(join(logDir, `${variant}.log`), 'w');
    const child = spawn(
      process.execPath,
      [
        ...imageNodeFlags,
        launcherBundle,
        `--apps=${apps.join(',')}`,
        `--bundle-dir=${bundleDir}`,
        `--metrics-bind-address=127.0.0.1:${await freePort()}`,
        ...(apps.includes('registry-auth')
          ? [
              `--app-arg=registry-auth:--listen-address=127.0.0.1:${await freePort()}`,
              `--app-arg=registry-auth:--tls-cert-file=${join(dir, 'tls.crt')}`,
              `--app-arg=registry-auth:--tls-key-file=${join(dir, 'tls.key')}`,
            ]
          : []),
        ...flags,
        '--',
        `--kubeconfig=${cp.kubeconfigPath}`,
        `--namespace=${namespace}`,
        '--leader-elect=true',
      ],
      { stdio: ['ignore', log, log] },
    );
    const pid = child.pid ?? 0;
    try {
      const t0 = cpuSeconds(pid);
      const convergeMs = await until(
        'ClusterOperator Available',
        async () =>
          (await clusterOperatorConditions(cp.kubeConfig)).join() ===
          'Available=True,Degraded=False,Progressing=False',
        180_000,
      );
      const startCpu = cpuSeconds(pid) - t0;
      await sleep(10_000); // let start-up garbage be collected before the idle window
      const c0 = cpuSeconds(pid);
      const samples: number[] = [];
      for (let i = 0; i < idleSeconds / 5; i++) {
        await sleep(5000);
        samples.push(procStatus(pid, 'VmRSS'));
      }
      const idleCpu = ((cpuSeconds(pid) - c0) * 60) / idleSeconds;
      rows.push(
        `| ${variant} | ${apps.length} | ${Math.min(...samples).toFixed(0)}–${Math.max(...samples).toFixed(0)} MiB | ${procStatus(pid, 'VmHWM').toFixed(0)} MiB | ${idleCpu.toFixed(2)} s | ${(convergeMs / 1000).toFixed(1)} s / ${startCpu.toFixed(1)} s |`,
      );
    } finally {
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      if (code !== 0)
        rows.push(
          `| ${variant}: the launcher exited ${code} on SIGTERM (see tmp/launcher-bench/${variant}.log) |`,
        );
    }
  }
} finally {
  await cp.stop();
}
console.log(
  `\nThe launcher with ${apps.join(', ')} in one process, idle (VmRSS over ${idleSeconds} s; upstream, all controllers: 106–114 MiB; goal ≤ 1.5× = 171 MiB)\n`,
);
console.log(
  '| variant | apps | idle RSS | peak RSS (VmHWM) | idle CPU per 60 s | to Available / CPU until then |',
);
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
