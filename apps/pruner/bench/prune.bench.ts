// Prints what one prune run costs; never asserts. A real registry binary (filesystem storage in a temp
// folder) holds BENCH_REPOS repositories × BENCH_TAGS tags (default 200 × 20), pushed straight through the
// HTTP API; the prune command then runs as production runs it (its own process) with keepTagRevisions 3,
// first as a dry run, then deleting. Figures: wall time and peak RSS of each run. Blob garbage collection
// is left out (--garbage-collect=never): it needs the read-only window of a cluster, and its cost is the
// registry's own.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startRegistry, workspaceRoot } from '@image-registry/testing';
import { seededBytes } from '../test/oci-images.ts';
import { configCreated, pushImage } from '../test/registry-push.ts';

const repos = Number(process.env['BENCH_REPOS'] ?? 200);
const tags = Number(process.env['BENCH_TAGS'] ?? 20);

async function pushAll(base: string): Promise<void> {
  const layer = seededBytes('bench base', 4096);
  const t0 = Date.now() - 30 * 24 * 3600 * 1000;
  const one = async (r: number) => {
    const repo = `bench/repo-${r}`;
    for (let t = 0; t < tags; t++) await pushImage(base, repo, `t${t}`, layer, configCreated(new Date(t0 + t * 60_000)));
  };
  const queue = Array.from({ length: repos }, (_, i) => i);
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let r = queue.shift(); r !== undefined; r = queue.shift()) await one(r);
  }));
}

/** One prune run under /usr/bin/time: wall seconds, peak RSS in MiB, the summary line. */
function prune(base: string, confirm: boolean): Promise<{ seconds: number; rssMiB: number; summary: string }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/time',
      ['-f', 'maxrss-kib=%M', process.execPath, join(workspaceRoot(), 'apps/pruner/src/main.ts'), 'prune', `--confirm=${confirm}`, '--keep-tag-revisions=3', '--keep-younger-than=60m', '--garbage-collect=never', `--registry-url=${base}`, '--token-file=/nonexistent'],
      { maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`prune failed: ${stderr.slice(-2000)}`));
        const rss = Number(/maxrss-kib=(\d+)/.exec(stderr)?.[1] ?? 0);
        const summary = /"msg":"(prune summary[^"]*)"/.exec(stdout)?.[1] ?? '(no summary)';
        resolve({ seconds: (Date.now() - started) / 1000, rssMiB: Math.round(rss / 1024), summary });
      },
    );
  });
}

const registry = await startRegistry({ env: { REGISTRY_STORAGE_DELETE_ENABLED: 'true', REGISTRY_LOG_LEVEL: 'error' } });
try {
  const t = Date.now();
  await pushAll(registry.url);
  console.log(`pushed ${repos} repositories × ${tags} tags in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const dry = await prune(registry.url, false);
  console.log(`dry run:  ${dry.seconds.toFixed(1)} s, peak RSS ${dry.rssMiB} MiB — ${dry.summary}`);
  const real = await prune(registry.url, true);
  console.log(`deleting: ${real.seconds.toFixed(1)} s, peak RSS ${real.rssMiB} MiB — ${real.summary}`);
} finally {
  await registry.stop();
}
