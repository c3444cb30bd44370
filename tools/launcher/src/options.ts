import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** One co-located app: its name (the Lease `<name>-leader`, the `app` metrics label) and its bundle. */
export interface LauncherApp {
  name: string;
  /** Absolute path of the app's bundle (`main.mjs`). */
  bundle: string;
  /** The app's own arguments: the common ones after `--`, then its `--app-arg`s. */
  args: string[];
}

export interface RestartPolicy {
  /** First delay before a crashed worker starts again; doubles on each crash in a row. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Crashes in a row (no stable run between them) after which the launcher exits 1. */
  maxRestarts: number;
  /** A worker that ran this long is stable again: its crash count and delay start over. */
  stableAfterMs: number;
}

export interface LauncherOptions {
  apps: LauncherApp[];
  /** `host:port` of the one server with /healthz, /readyz and every app's /metrics; `0` disables. */
  metricsBindAddress: string;
  /** How long SIGTERM may take for all workers together before the rest are terminated (exit 1). */
  shutdownTimeoutMs: number;
  restart: RestartPolicy;
  /** V8 heap limits per worker (MB); undefined: V8's defaults. */
  workerLimits: { maxYoungGenerationSizeMb?: number; maxOldGenerationSizeMb?: number };
  logLevel: string;
  help: boolean;
}

export class LauncherOptionsError extends Error {
  override name = 'LauncherOptionsError';
}

const flags = {
  apps: { env: 'IRO_LAUNCHER_APPS', description: 'apps to run, comma-separated: `name` (bundle <bundle-dir>/<name>/main.mjs) or `name=/path/main.mjs`' },
  'bundle-dir': { env: 'IRO_LAUNCHER_BUNDLE_DIR', description: 'folder holding <app>/main.mjs (default: apps/ beside the launcher)' },
  'app-arg': { env: '', description: 'an argument for one app only, `<app>:<arg>` (repeatable), e.g. --app-arg=pull-secrets:--concurrency=16' },
  'metrics-bind-address': { env: 'IRO_METRICS_BIND_ADDRESS', description: 'host:port of /healthz, /readyz and /metrics for all apps (default :8080); 0 disables' },
  'shutdown-timeout-seconds': { env: 'IRO_LAUNCHER_SHUTDOWN_TIMEOUT_SECONDS', description: 'budget for all workers to drain on SIGTERM (default 35)' },
  'max-restarts': { env: 'IRO_LAUNCHER_MAX_RESTARTS', description: 'crashes in a row of one app before the launcher exits 1 (default 5)' },
  'worker-max-young-generation-mb': { env: 'IRO_LAUNCHER_WORKER_MAX_YOUNG_GENERATION_MB', description: "each worker's V8 young generation limit (default: V8's)" },
  'worker-max-old-generation-mb': { env: 'IRO_LAUNCHER_WORKER_MAX_OLD_GENERATION_MB', description: "each worker's V8 old generation limit (default: V8's)" },
  'log-level': { env: 'IRO_LOG_LEVEL', description: "the launcher's own log level (default info); apps take --log-level after --" },
} as const;

export function launcherUsage(): string {
  return [
    'usage: launcher --apps=<app>[=<bundle>],... [flags] [-- <arguments for every app>]',
    '',
    ...Object.entries(flags).map(([k, f]) => `  --${k}${f.env ? ` ($${f.env})` : ''}\n      ${f.description}`),
  ].join('\n');
}

const appName = /^[a-z][a-z0-9-]*$/;

/** Parses the launcher's flags (then environment, then defaults); everything after `--` goes to every app. */
export function parseLauncherOptions(argv: string[], env: Record<string, string | undefined>, defaultBundleDir: string): LauncherOptions {
  const cut = argv.indexOf('--');
  const own = cut < 0 ? argv : argv.slice(0, cut);
  const common = cut < 0 ? [] : argv.slice(cut + 1);
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    values = parseArgs({
      args: own,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(Object.keys(flags).map((k) => [k, { type: 'string' as const, multiple: k === 'app-arg' }])),
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    throw new LauncherOptionsError(`${(err as Error).message} (run with --help for the flags)`, { cause: err });
  }
  const pick = (name: keyof typeof flags): string | undefined => {
    const v = values[name];
    if (typeof v === 'string' && v !== '') return v;
    const e = flags[name].env ? env[flags[name].env] : undefined;
    return e === '' ? undefined : e;
  };
  const help = values['help'] === true;
  const bundleDir = resolve(pick('bundle-dir') ?? defaultBundleDir);
  const perApp = new Map<string, string[]>();
  for (const a of (values['app-arg'] as string[] | undefined) ?? []) {
    const i = a.indexOf(':');
    if (i < 1) throw new LauncherOptionsError(`--app-arg=${a} needs the form <app>:<arg>, e.g. --app-arg=pull-secrets:--concurrency=16`);
    perApp.set(a.slice(0, i), [...(perApp.get(a.slice(0, i)) ?? []), a.slice(i + 1)]);
  }
  const apps: LauncherApp[] = [];
  for (const entry of (pick('apps') ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (!appName.test(name)) throw new LauncherOptionsError(`--apps: "${name}" is not an app name (lower-case letters, digits and dashes)`);
    if (apps.some((a) => a.name === name)) throw new LauncherOptionsError(`--apps names ${name} twice; each app runs once (it has one Lease)`);
    const path = eq < 0 ? join(bundleDir, name, 'main.mjs') : entry.slice(eq + 1);
    apps.push({ name, bundle: isAbsolute(path) ? path : resolve(path), args: [...common, ...(perApp.get(name) ?? [])] });
  }
  if (apps.length === 0 && !help) throw new LauncherOptionsError('--apps (or $IRO_LAUNCHER_APPS) is empty: name the apps to run, e.g. --apps=registry-workload,storage,status');
  for (const app of perApp.keys()) {
    if (!apps.some((a) => a.name === app)) throw new LauncherOptionsError(`--app-arg names ${app}, which is not in --apps`);
  }
  return {
    apps,
    metricsBindAddress: pick('metrics-bind-address') ?? ':8080',
    shutdownTimeoutMs: seconds('shutdown-timeout-seconds', pick('shutdown-timeout-seconds') ?? '35') * 1000,
    restart: {
      initialDelayMs: 1000,
      maxDelayMs: 60_000,
      maxRestarts: count('max-restarts', pick('max-restarts') ?? '5'),
      stableAfterMs: 10 * 60_000,
    },
    workerLimits: {
      ...optionalMb('worker-max-young-generation-mb', pick('worker-max-young-generation-mb')),
      ...optionalMb('worker-max-old-generation-mb', pick('worker-max-old-generation-mb')),
    },
    logLevel: pick('log-level') ?? 'info',
    help,
  };
}

function seconds(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new LauncherOptionsError(`--${flag} must be a positive number of seconds, not "${v}"`);
  return n;
}

function count(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new LauncherOptionsError(`--${flag} must be a whole number ≥ 0, not "${v}"`);
  return n;
}

function optionalMb(flag: 'worker-max-young-generation-mb' | 'worker-max-old-generation-mb', v: string | undefined): Record<string, number> {
  if (v === undefined) return {};
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new LauncherOptionsError(`--${flag} must be a whole number of MB > 0, not "${v}"`);
  return { [flag === 'worker-max-young-generation-mb' ? 'maxYoungGenerationSizeMb' : 'maxOldGenerationSizeMb']: n };
}
