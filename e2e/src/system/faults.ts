// Crash faults for the system run: each app is SIGKILLed at random points and started again at once, as
// a kubelet restarts a crashed container. Random from a seed (printed), so a failing run can be replayed
// with the same kill schedule: FAULT_SEED=<seed>. A kill comes a random time after the process got ready
// (its informers synced), not after it was spawned: starting takes seconds on a busy machine, and a
// process killed while still loading has written nothing, so the kill would test nothing.
import { startApp, type AppProcess } from './app-processes.ts';
import type { System } from './system.ts';

/** mulberry32: a small, good-enough PRNG; the same seed gives the same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * FAULT_SEED from the environment; else under CI a fixed one (a red run must mean a change broke
 * something, not that a new schedule was drawn); else a fresh one, to explore.
 */
export function faultSeed(): number {
  const env = process.env['FAULT_SEED'];
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 0) throw new Error(`FAULT_SEED must be a non-negative integer, not "${env}"`);
    return n;
  }
  if (process.env['CI'] === 'true') return 1;
  return Math.floor(Math.random() * 2 ** 31);
}

export interface FaultOptions {
  seed: number;
  /** Kills per app. */
  kills: number;
  /** Each kill comes this long after the process was ready: uniform in [minMs, maxMs]. */
  minMs: number;
  maxMs: number;
  /** How long a (re)started process may take to get ready before the run fails. */
  readyTimeoutMs?: number;
}

export interface Kill {
  app: string;
  n: number;
  /** Milliseconds the killed process had been ready. */
  afterMs: number;
}

function exited(p: AppProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) resolve();
    else p.child.once('exit', () => resolve());
  });
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** Resolves once the app's /readyz answers 200 (loopback, plain HTTP), false when aborted first. */
export async function ready(p: AppProcess, timeoutMs: number, signal: AbortSignal = new AbortController().signal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!signal.aborted) {
    if (p.child.exitCode !== null) throw new Error(`${p.app} exited by itself (code ${p.child.exitCode}); see ${p.log}`);
    const ok = await fetch(`http://127.0.0.1:${p.metricsPort}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    if (Date.now() > deadline) throw new Error(`${p.app} was not ready ${timeoutMs / 1000} s after its start; see ${p.log}`);
    await sleep(100, signal);
  }
  return false;
}

/** One app's schedule: the PRNG of app i is seeded with seed + i, so apps do not share a sequence. */
async function killLoop(
  system: System,
  app: string,
  random: () => number,
  o: FaultOptions,
  signal: AbortSignal,
  kills: Kill[],
): Promise<void> {
  for (let n = 1; n <= o.kills && !signal.aborted; n++) {
    const p = system.apps.get(app);
    if (!p) throw new Error(`no app ${app} in the system`);
    const delay = o.minMs + random() * (o.maxMs - o.minMs);
    if (!(await ready(p, o.readyTimeoutMs ?? 120_000, signal))) return;
    const started = Date.now();
    await sleep(delay, signal);
    if (signal.aborted) return;
    if (p.child.exitCode !== null) throw new Error(`${app} exited by itself (code ${p.child.exitCode}); see ${p.log}`);
    p.child.kill('SIGKILL');
    await exited(p);
    kills.push({ app, n, afterMs: Date.now() - started });
    // Same flags, same kubeconfig, same ports; the log goes on in the same file.
    system.apps.set(app, startApp({ ...p.options, append: true }));
  }
  // Done means running again: what is checked next (metrics, convergence) must not race the last start.
  const last = system.apps.get(app);
  if (last && !signal.aborted) await ready(last, o.readyTimeoutMs ?? 120_000, signal);
}

export interface Faults {
  /** Resolves when every app had its kills and is ready again; rejects when an app died by itself. */
  done: Promise<Kill[]>;
  /** Kills so far (the scenario paces its steps by it, so that kills fall among all of them). */
  count(): number;
  /** Stops the schedule early (a failed scenario). */
  abort(): void;
}

/** Starts a kill schedule for every app of `system` at once. */
export function injectFaults(system: System, o: FaultOptions): Faults {
  const controller = new AbortController();
  const kills: Kill[] = [];
  const apps = [...system.apps.keys()].sort();
  const loops = apps.map((app, i) =>
    killLoop(system, app, prng(o.seed + i), o, controller.signal, kills).catch((err: unknown) => {
      controller.abort();
      throw err;
    }),
  );
  return { done: Promise.all(loops).then(() => kills), count: () => kills.length, abort: () => controller.abort() };
}
