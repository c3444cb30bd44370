// Every knob of the side-by-side bench, read once from the environment with its default.
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every app of ours, in the order the bench starts them. */
export const allApps = [
  'registry-workload',
  'storage',
  'status',
  'routes',
  'node-ca',
  'pull-secrets',
  'pruner',
  'registry-auth',
] as const;
export type AppName = (typeof allApps)[number];

export type OursForm = 'bundle' | 'source';

export interface BenchOptions {
  /** The repository root. */
  root: string;
  /** `${IRO_CACHE_DIR:-~/.cache/image-registry-operator}`: the control plane is found there, upstream built there. */
  cacheRoot: string;
  /** An extracted upstream checkout with vendor/; undefined: extract it from `upstreamGitDir`. */
  upstreamSrc: string | undefined;
  upstreamGitDir: string;
  upstreamRef: string;
  /** A git dir of openshift/api holding the commit upstream vendors (its config and route CRDs). */
  openshiftApiGitDir: string;
  /** `upstream`, `ours`, in the order given. */
  phases: string[];
  apps: AppName[];
  /** `bundle`: dist/apps/<app>/main.mjs with deploy/Containerfile's node flags; `source`: src/main.ts. */
  form: OursForm;
  work: string;
  changes: number;
  /** Pauses after a change has landed, one series of `changes` each. */
  changeGapsMs: number[];
  removedCycles: number;
  settleSeconds: number;
  idleSeconds: number;
  idleWindows: number;
  releaseVersion: string;
  namespace: string;
}

const mirror = '/work/.mirror';

function num(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${key}=${raw}: expected a non-negative number`);
  return v;
}

function list(env: NodeJS.ProcessEnv, key: string, fallback: string): string[] {
  return (env[key] ?? fallback).split(/[\s,]+/).filter(Boolean);
}

export function benchOptions(root: string, env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const apps = list(env, 'BENCH_OURS_APPS', allApps.join(' '));
  for (const a of apps) {
    if (!(allApps as readonly string[]).includes(a))
      throw new Error(`BENCH_OURS_APPS: unknown app ${a} (known: ${allApps.join(', ')})`);
  }
  const phases = list(env, 'BENCH_PHASES', 'upstream ours');
  for (const p of phases)
    if (p !== 'upstream' && p !== 'ours')
      throw new Error(`BENCH_PHASES: unknown phase ${p} (upstream, ours)`);
  const form = env['BENCH_OURS_FORM'] ?? 'bundle';
  if (form !== 'bundle' && form !== 'source')
    throw new Error(`BENCH_OURS_FORM=${form}: expected bundle or source`);
  return {
    root,
    cacheRoot:
      env['IRO_CACHE_DIR'] ??
      join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'image-registry-operator'),
    upstreamSrc: env['BENCH_UPSTREAM_SRC'] || undefined,
    upstreamGitDir:
      env['BENCH_UPSTREAM_GIT_DIR'] ?? join(mirror, 'openshift+cluster-image-registry-operator/repo'),
    upstreamRef: env['BENCH_UPSTREAM_REF'] ?? 'HEAD',
    openshiftApiGitDir: env['BENCH_OPENSHIFT_API_GIT_DIR'] ?? join(mirror, 'openshift+api/repo'),
    phases,
    apps: apps as AppName[],
    form,
    work: env['BENCH_WORK'] ?? join(tmpdir(), `side-by-side-${process.pid}`),
    changes: num(env, 'BENCH_CHANGES', 20),
    changeGapsMs: list(env, 'BENCH_CHANGE_GAPS_MS', '2000 5000').map((g) => {
      const v = Number(g);
      if (!Number.isFinite(v) || v < 0)
        throw new Error(`BENCH_CHANGE_GAPS_MS: ${g} is not a number of milliseconds`);
      return v;
    }),
    removedCycles: num(env, 'BENCH_REMOVED_CYCLES', 3),
    settleSeconds: num(env, 'BENCH_SETTLE_SECONDS', 30),
    idleSeconds: num(env, 'BENCH_IDLE_SECONDS', 60),
    idleWindows: Math.max(1, num(env, 'BENCH_IDLE_WINDOWS', 2)),
    releaseVersion: env['BENCH_RELEASE_VERSION'] ?? '4.22.0',
    namespace: 'openshift-image-registry',
  };
}
