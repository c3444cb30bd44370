// The side-by-side bench: the upstream operator, then our apps, each on a fresh Config on one local
// control plane whose kube-apiserver writes an audit log; prints the issue-19 table with ratios.
//   npx nx run @image-registry/side-by-side-bench:bench     (or: npm run bench -- -p @image-registry/side-by-side-bench)
// Knobs: see README.md beside this folder's src/ and options.ts.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseManifests, startControlPlane, workspaceRoot } from '@image-registry/testing';
import { AuditLog } from './audit-log.ts';
import { auditedControlPlaneDir } from './audit-control-plane.ts';
import { benchOptions } from './options.ts';
import { measure, type PhaseSystem } from './phase.ts';
import { stopAll } from './processes.ts';
import type { RunResult } from './results.ts';
import { commonStandIns, cleanUp, upstreamStandIns } from './stand-ins.ts';
import { oursClient, startOurs, startUpstream, upstreamClient } from './systems.ts';
import { renderTables } from './table.ts';
import { upstreamBuild } from './upstream-build.ts';

const o = benchOptions(workspaceRoot());
const out = join(o.work, 'out', new Date().toISOString().replace(/[:.]/g, '-'));
mkdirSync(out, { recursive: true });
const notes: string[] = [];
const say = (m: string) => console.error(`side-by-side: ${m}`);

let upstream: ReturnType<typeof upstreamBuild> | undefined;
if (o.phases.includes('upstream')) {
  upstream = upstreamBuild(o);
  if (!upstream.ok) {
    notes.push(`upstream not measured: ${upstream.reason}`);
    say(`UPSTREAM SOURCE ABSENT, measuring ours only: ${upstream.reason}`);
  }
}
const oursCommit = (() => {
  try {
    return execFileSync('git', ['-C', o.root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();

// Our harness sweeps stale run folders under TMPDIR: keep this run's apart from any other job's.
process.env['TMPDIR'] = join(o.work, 'tmp');
mkdirSync(process.env['TMPDIR'], { recursive: true });
const { dir, auditLog } = auditedControlPlaneDir(o.cacheRoot, o.work);
process.env['IRO_CONTROL_PLANE_DIR'] = dir;
const cp = await startControlPlane({ nodes: 2 });
const kubeconfig = join(out, 'kubeconfig');
writeFileSync(kubeconfig, readFileSync(cp.kubeconfigPath));
const audit = new AuditLog(auditLog);

const crdNames = (d: string) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseManifests(readFileSync(join(d, f), 'utf8')))
    .filter((m) => m.kind === 'CustomResourceDefinition')
    .map((m) => m.metadata.name);

function upstreamSystem(bin: string, crdDir: string, commit: string): PhaseSystem {
  return {
    name: 'upstream',
    label: commit.slice(0, 7),
    crdDir,
    client: upstreamClient,
    async prepare(kc) {
      await commonStandIns(kc, o.namespace);
      await upstreamStandIns(kc, o.releaseVersion);
    },
    async start() {
      const procs = startUpstream(o, bin, kubeconfig, out);
      return { procs, afterDeployment: async () => undefined, stop: () => stopAll(procs) };
    },
  };
}

const oursSystem: PhaseSystem = {
  name: 'ours',
  label: `${oursCommit}, ${o.form === 'bundle' ? 'bundles as deploy/Containerfile runs them' : 'from source'}`,
  crdDir: join(o.root, 'deploy/crds'),
  client: oursClient,
  prepare: (kc) => commonStandIns(kc, o.namespace),
  async start() {
    const run = await startOurs(cp.kubeConfig, o, out);
    return {
      procs: run.procs,
      afterDeployment: () => run.startLate(),
      stop: async () => {
        await stopAll(run.procs);
        await run.stopExtras();
      },
    };
  },
};

const result: RunResult = {
  startedAt: new Date().toISOString(),
  host: `${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  settings: { ...o, root: undefined },
  notes,
  systems: [],
};
let exitCode = 0;
const finish = async () => {
  await stopAll();
  await cp.stop();
};
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.once(sig, () => void finish().finally(() => process.exit(130)));
try {
  for (const phase of o.phases) {
    let sys: PhaseSystem | undefined;
    if (phase === 'ours') sys = oursSystem;
    else if (upstream?.ok)
      sys = upstreamSystem(upstream.build.bin, upstream.build.crdDir, upstream.build.commit);
    if (!sys) continue;
    result.systems.push(await measure(cp.kubeConfig, o, sys, audit, out));
    writeFileSync(join(out, 'results.json'), JSON.stringify(result, null, 2));
    await cleanUp(cp.kubeConfig, o.namespace, crdNames(sys.crdDir));
  }
} catch (err) {
  exitCode = 1;
  console.error(err);
  notes.push(`run failed: ${String(err)}`);
} finally {
  await finish();
}
const tables = renderTables(result);
writeFileSync(join(out, 'results.json'), JSON.stringify(result, null, 2));
writeFileSync(join(out, 'table.md'), tables + '\n');
console.log(`\n${tables}\n\nresults, logs and the audit log: ${out}`);
process.exit(exitCode);
