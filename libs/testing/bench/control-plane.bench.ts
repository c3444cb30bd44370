// Prints control-plane figures; never asserts. Cold build: the seconds recorded by build.sh the
// first time this cache entry was built. Warm start: best and worst of three starts.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { controlPlaneBinaries, startControlPlane } from '../src/index.ts';

const { binDir } = await controlPlaneBinaries();
const cold = readFileSync(join(dirname(binDir), 'build-seconds'), 'utf8').trim();
console.log(`cold build (link step of this cache entry; see docs/adr/0002 for a cold compile): ${cold} s`);

const runs: { api: number; nodes: number }[] = [];
let rss: Record<string, number> = {};
for (let i = 0; i < 3; i++) {
  const cp = await startControlPlane({ nodes: 2 });
  runs.push({ api: cp.timings.apiServerReadyMs, nodes: cp.timings.nodesReadyMs });
  if (i === 2) {
    await new Promise((r) => setTimeout(r, 10_000)); // let it settle to idle
    rss = Object.fromEntries(
      Object.entries(cp.pids()).map(([name, pid]) => {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return [name, Number(m?.[1] ?? 0) / 1024];
      }),
    );
  }
  await cp.stop();
}
const fmt = (xs: number[]) => `min ${(Math.min(...xs) / 1000).toFixed(1)} s, max ${(Math.max(...xs) / 1000).toFixed(1)} s`;
console.log(`warm start to kube-apiserver /readyz: ${fmt(runs.map((r) => r.api))}`);
console.log(`warm start to 2 nodes Ready:          ${fmt(runs.map((r) => r.nodes))}`);
for (const [name, mb] of Object.entries(rss)) console.log(`idle RSS ${name.padEnd(24)} ${mb.toFixed(0)} MB`);
