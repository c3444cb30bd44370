import { defaultOperandNamespace } from '@image-registry/api';
import { parseGoDuration } from '../render/go-duration.ts';
import { registryBinaryPath } from '../render/cronjob.ts';

export class PruneOptionsError extends Error {
  override name = 'PruneOptionsError';
}

export interface PruneOptions {
  /** false: print the plan, change nothing (`--dry-run`, or oc's `--confirm=false`). */
  confirm: boolean;
  certificateAuthority: string | undefined;
  keepTagRevisions: number;
  keepYoungerThanMs: number;
  ignoreInvalidRefs: boolean;
  /** oc's `--loglevel` (1 normal, 4 debug, 6+ trace). */
  logLevel: number;
  pruneRegistry: boolean;
  registryUrl: string | undefined;
  namespace: string;
  tokenFile: string;
  kubeconfig: string | undefined;
  registryBinary: string;
  /** Garbage-collect even when this run deleted nothing (default: only after deletions). */
  alwaysCollect: boolean;
  /** Skip the blob garbage collection altogether. */
  skipCollect: boolean;
  windowWaitMs: number;
  concurrency: number;
}

export const pruneUsage = `usage: main.mjs prune [flags]
  --confirm=true|false           delete (default false: only print what would be deleted)
  --dry-run                      same as --confirm=false
  --keep-tag-revisions=N         newest tags kept per repository (default 3)
  --keep-younger-than=DURATION   tags younger than this are kept (Go duration, default 60m)
  --ignore-invalid-refs=BOOL     skip invalid references instead of failing (default false)
  --prune-registry=BOOL          prune the registry at all (default true)
  --registry-url=URL             the registry, e.g. https://image-registry.openshift-image-registry.svc:5000
  --certificate-authority=FILE   CA of the registry's certificate
  --loglevel=N                   1 normal, 4 debug, 6 trace
  --namespace=NS                 the registry's namespace (default ${defaultOperandNamespace})
  --token-file=FILE              the ServiceAccount token sent to the registry
  --kubeconfig=FILE              default: in-cluster
  --registry-binary=FILE         the registry binary for garbage-collect (default ${registryBinaryPath})
  --garbage-collect=auto|always|never   reclaim blobs after deleting manifests (default auto)
  --window-wait=DURATION         how long to wait for the read-only window (default 10m)
  --concurrency=N                repositories scanned at once (default 8)`;

function bool(name: string, v: string): boolean {
  if (v === 'true' || v === '') return true;
  if (v === 'false') return false;
  throw new PruneOptionsError(`--${name} must be true or false, not "${v}"`);
}

function int(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min) throw new PruneOptionsError(`--${name} must be an integer ≥ ${min}, not "${v}"`);
  return n;
}

function durationMs(name: string, v: string): number {
  try {
    return Number(parseGoDuration(v) / 1_000_000n);
  } catch (err) {
    throw new PruneOptionsError(`--${name}: ${(err as Error).message}`);
  }
}

/** Parses `--name=value` flags (oc's spelling); throws PruneOptionsError naming the flag. */
export function parsePruneOptions(argv: readonly string[], env: Record<string, string | undefined>): PruneOptions {
  const o: PruneOptions = {
    confirm: false,
    certificateAuthority: undefined,
    keepTagRevisions: 3,
    keepYoungerThanMs: 60 * 60 * 1000,
    ignoreInvalidRefs: false,
    logLevel: 1,
    pruneRegistry: true,
    registryUrl: undefined,
    namespace: env['POD_NAMESPACE'] || defaultOperandNamespace,
    tokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
    kubeconfig: undefined,
    registryBinary: registryBinaryPath,
    alwaysCollect: false,
    skipCollect: false,
    windowWaitMs: 10 * 60 * 1000,
    concurrency: 8,
  };
  let dryRun = false;
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m?.[1]) throw new PruneOptionsError(`unexpected argument "${arg}"; flags are --name=value`);
    const [name, v = ''] = [m[1], m[2]];
    switch (name) {
      case 'confirm': o.confirm = bool(name, v); break;
      case 'dry-run': dryRun = bool(name, v); break;
      case 'certificate-authority': o.certificateAuthority = v || undefined; break;
      case 'keep-tag-revisions': o.keepTagRevisions = int(name, v, 0); break;
      case 'keep-younger-than': o.keepYoungerThanMs = durationMs(name, v); break;
      case 'ignore-invalid-refs': o.ignoreInvalidRefs = bool(name, v); break;
      case 'loglevel': o.logLevel = int(name, v, 0); break;
      case 'prune-registry': o.pruneRegistry = bool(name, v); break;
      case 'registry-url': o.registryUrl = v || undefined; break;
      case 'namespace': o.namespace = v; break;
      case 'token-file': o.tokenFile = v; break;
      case 'kubeconfig': o.kubeconfig = v || undefined; break;
      case 'registry-binary': o.registryBinary = v; break;
      case 'garbage-collect':
        if (!['auto', 'always', 'never'].includes(v)) throw new PruneOptionsError(`--garbage-collect must be auto, always or never, not "${v}"`);
        o.alwaysCollect = v === 'always';
        o.skipCollect = v === 'never';
        break;
      case 'window-wait': o.windowWaitMs = durationMs(name, v); break;
      case 'concurrency': o.concurrency = int(name, v, 1); break;
      default: throw new PruneOptionsError(`unknown flag --${name}`);
    }
  }
  if (dryRun) o.confirm = false;
  if (o.pruneRegistry && !o.registryUrl) throw new PruneOptionsError('--registry-url is required unless --prune-registry=false');
  if (o.registryUrl && !/^https?:\/\/[^/]+\/?$/.test(o.registryUrl)) {
    throw new PruneOptionsError(`--registry-url must be http(s)://host[:port], not "${o.registryUrl}"`);
  }
  return o;
}

/** pino's level for oc's --loglevel. */
export function pinoLevel(logLevel: number): 'info' | 'debug' | 'trace' {
  if (logLevel >= 6) return 'trace';
  if (logLevel >= 4) return 'debug';
  return 'info';
}
