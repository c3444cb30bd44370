// Prints node-ca figures; never asserts. The agent as the DaemonSet runs it (the bundle, one process) on
// a scratch root with 500 hosts in the bundle: first pass (everything written), second pass (nothing to
// do), each with its run time and the process's peak RSS. Then the controllers as production runs them
// against a fresh control plane: RSS at idle and API writes in an idle half minute.
// Goals: first pass < 2 s, idle pass < 300 ms, agent RSS < 80 MB, controllers < 100 MB and zero idle writes.
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { scratchAgentFlags } from '../test/scratch-node.ts';
import { createServingCertificate, installCrds, kubeRequest, startControlPlane, workspaceRoot } from '@image-registry/testing';

const run = promisify(execFile);
const bundle = join(workspaceRoot(), 'dist/apps/node-ca/main.mjs');
// What the DaemonSet runs: the agent's own bundle.
const agentBundle = join(workspaceRoot(), 'dist/apps/node-ca/agent.mjs');
const hosts = 500;

// --- the agent ---
const root = await mkdtemp(join(tmpdir(), 'node-ca-bench-'));
const { caCert } = await createServingCertificate();
const data = join(root, 'mnt/certificates/..data_v1');
await mkdir(data, { recursive: true });
await symlink('..data_v1', join(root, 'mnt/certificates/..data'));
for (let i = 0; i < hosts; i++) {
  const key = `registry-${i}.example.com..5000`;
  await writeFile(join(data, key), caCert);
  await symlink(join('..data', key), join(root, 'mnt/certificates', key));
}
await mkdir(join(root, 'etc'), { recursive: true });
await writeFile(join(root, 'etc/hosts'), '127.0.0.1 localhost\n');
await mkdir(join(root, 'mnt/hosts'), { recursive: true });
await writeFile(join(root, 'mnt/hosts/hosts'), '10.96.0.20 image-registry.openshift-image-registry.svc\n');

async function agentPass(): Promise<{ wallMs: number; passMs: number; maxRssMB: number; copied: number }> {
  const t0 = performance.now();
  const { stdout } = await run(process.execPath, [
    agentBundle,
    'sync',
    '--once',
    '--log-level=debug',
    ...scratchAgentFlags(root),
  ]);
  const wallMs = performance.now() - t0;
  const summary = stdout
    .split('\n')
    .filter((l) => l.includes('"copied"'))
    .map((l) => JSON.parse(l) as { ms: number; maxRssMB: number; copied: number })
    .at(-1);
  return { wallMs, passMs: summary?.ms ?? NaN, maxRssMB: summary?.maxRssMB ?? NaN, copied: summary?.copied ?? NaN };
}

const first = await agentPass();
const second = await agentPass();
console.log(`agent, ${hosts} hosts, first pass:  ${first.passMs.toFixed(0)} ms in the pass (${first.wallMs.toFixed(0)} ms with Node start), ${first.copied} files written, peak RSS ${first.maxRssMB.toFixed(1)} MB`);
console.log(`agent, ${hosts} hosts, second pass: ${second.passMs.toFixed(0)} ms in the pass (${second.wallMs.toFixed(0)} ms with Node start), ${second.copied} files written, peak RSS ${second.maxRssMB.toFixed(1)} MB`);
await rm(root, { recursive: true, force: true });

// --- the controllers at idle ---
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

async function metrics(url: string): Promise<{ writes: number; rssMB: number }> {
  const text = await (await fetch(url)).text();
  let writes = 0;
  for (const m of text.matchAll(/^rest_client_requests_total\{([^}]*)\} (\S+)$/gm)) {
    const verb = /verb="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '';
    if (['create', 'update', 'patch', 'apply', 'delete'].includes(verb)) writes += Number(m[2]);
  }
  return { writes, rssMB: Number(/^process_resident_memory_bytes (\S+)$/m.exec(text)?.[1] ?? 0) / 1024 / 1024 };
}

const cp = await startControlPlane();
try {
  await installCrds(cp.kubeConfig, join(workspaceRoot(), 'deploy/crds'));
  await kubeRequest(cp.kubeConfig, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'openshift-image-registry' } });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/metrics`;
  const app = spawn(process.execPath, [bundle, `--kubeconfig=${cp.kubeconfigPath}`, '--leader-elect=false', `--metrics-bind-address=127.0.0.1:${port}`], {
    stdio: 'ignore',
  });
  try {
    let ready = false;
    for (let i = 0; i < 300 && !ready; i++) {
      ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
      if (!ready) await new Promise((r) => setTimeout(r, 200));
    }
    // Let the first passes settle (DaemonSet, ConfigMaps, kwok's pods), then count an idle half minute.
    await new Promise((r) => setTimeout(r, 20_000));
    const before = await metrics(url);
    await new Promise((r) => setTimeout(r, 30_000));
    const after = await metrics(url);
    console.log(`controllers at idle: RSS ${after.rssMB.toFixed(1)} MB, ${after.writes - before.writes} API writes in 30 s`);
  } finally {
    app.kill('SIGTERM');
  }
} finally {
  await cp.stop();
}
