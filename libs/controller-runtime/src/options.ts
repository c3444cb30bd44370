import { parseArgs } from 'node:util';
import type { LevelWithSilent } from 'pino';
import { metricsAuthModes, type MetricsAuthMode } from './metrics-serving.ts';

/** The settings every app shares, from flags, then environment, then defaults. */
export interface AppOptions {
  /** Path of a kubeconfig; undefined: $KUBECONFIG, ~/.kube/config, or the in-cluster ServiceAccount. */
  kubeconfig: string | undefined;
  /** The operand namespace. */
  namespace: string;
  /** `host:port` of /healthz, /readyz and /metrics; `0` turns the server off. */
  metricsBindAddress: string;
  /** Who may read /metrics (see MetricsAuthMode). */
  metricsAuth: MetricsAuthMode;
  /** Folder with tls.crt and tls.key for the metrics server; empty or missing files: self-signed. */
  metricsCertDir: string;
  leaderElect: boolean;
  /** Where the Lease lives (default: `namespace`). */
  leaderElectionNamespace: string;
  /** Lease timing in ms: lease duration > renew deadline > retry period. */
  leaderElection: { leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number };
  logLevel: LevelWithSilent;
  /** App-specific flags declared by the app (see `extra` in parseOptions). */
  extra: Record<string, string | boolean | undefined>;
}

export interface ExtraFlag {
  type: 'string' | 'boolean';
  /** Environment variable read when the flag is absent. */
  env?: string;
  default?: string | boolean;
  description: string;
}

interface Flag {
  env: string;
  default: string;
  description: string;
  type: 'string' | 'boolean';
}

/** The shared flags, their environment variables and defaults: the one place they are defined. */
export const commonFlags: Record<string, Flag> = {
  kubeconfig: {
    type: 'string',
    env: 'KUBECONFIG',
    default: '',
    description: 'kubeconfig file; empty: ~/.kube/config, else the in-cluster ServiceAccount',
  },
  namespace: {
    type: 'string',
    env: 'IRO_NAMESPACE',
    default: 'openshift-image-registry',
    description: 'namespace of the registry and its objects',
  },
  'metrics-bind-address': {
    type: 'string',
    env: 'IRO_METRICS_BIND_ADDRESS',
    default: ':8080',
    description: 'host:port serving /healthz, /readyz and /metrics; 0 disables',
  },
  'metrics-auth': {
    type: 'string',
    env: 'IRO_METRICS_AUTH',
    default: 'auto',
    description: 'who may read /metrics: kubernetes (bearer token, TokenReview and SubjectAccessReview, TLS), none, or auto (kubernetes unless bound to loopback)',
  },
  'metrics-cert-dir': {
    type: 'string',
    env: 'IRO_METRICS_CERT_DIR',
    default: '',
    description: 'folder holding tls.crt and tls.key for /metrics (reloaded when they change); without them a self-signed certificate',
  },
  'leader-elect': {
    type: 'boolean',
    env: 'IRO_LEADER_ELECT',
    default: 'true',
    description: 'run controllers only while holding the app Lease (turn off for a single local process)',
  },
  'leader-election-namespace': {
    type: 'string',
    env: 'IRO_LEADER_ELECTION_NAMESPACE',
    default: '',
    description: 'namespace of the Lease; empty: --namespace',
  },
  // library-go's defaults for OpenShift operators: one renewal every 26 s costs an idle app ~2 Lease
  // writes a minute (client-go's 15/10/2 s cost 30, most of an idle app's CPU). A crashed leader is
  // replaced after at most the lease duration; a leader that shuts down releases the Lease at once.
  'leader-elect-lease-duration': {
    type: 'string',
    env: 'IRO_LEADER_ELECT_LEASE_DURATION',
    default: '137s',
    description: 'how long a standby waits after the leader last renewed before taking over (e.g. 137s, 2m)',
  },
  'leader-elect-renew-deadline': {
    type: 'string',
    env: 'IRO_LEADER_ELECT_RENEW_DEADLINE',
    default: '107s',
    description: 'the leader stops its controllers when it could not renew for this long',
  },
  'leader-elect-retry-period': {
    type: 'string',
    env: 'IRO_LEADER_ELECT_RETRY_PERIOD',
    default: '26s',
    description: 'time between attempts to acquire or renew the Lease',
  },
  'log-level': {
    type: 'string',
    env: 'IRO_LOG_LEVEL',
    default: 'info',
    description: 'trace, debug, info, warn, error, fatal or silent',
  },
};

export class OptionsError extends Error {
  override name = 'OptionsError';
}

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go-style duration (`250ms`, `26s`, `10m`, `1h30m`, `0`) in milliseconds, for any app's flags. */
export function parseDuration(flag: string, text: string): number {
  if (text === '0') return 0;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new OptionsError(`--${flag} must be a duration such as 30s, 10m or 1h30m, not "${text}"`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * (durationUnits[p[2] ?? 's'] ?? 1000), 0);
}

function leaseTiming(pick: (name: string) => string | boolean | undefined): AppOptions['leaderElection'] {
  const d = (flag: string) => parseDuration(flag, String(pick(flag)));
  const t = {
    leaseDurationMs: d('leader-elect-lease-duration'),
    renewDeadlineMs: d('leader-elect-renew-deadline'),
    retryPeriodMs: d('leader-elect-retry-period'),
  };
  if (!(t.leaseDurationMs > t.renewDeadlineMs && t.renewDeadlineMs > t.retryPeriodMs && t.retryPeriodMs > 0)) {
    throw new OptionsError('--leader-elect-lease-duration must exceed --leader-elect-renew-deadline, which must exceed --leader-elect-retry-period, which must be above 0');
  }
  return t;
}

const levels = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/** `--help` text for an app. */
export function usage(app: string, extra: Record<string, ExtraFlag> = {}): string {
  const rows = [
    ...Object.entries(commonFlags).map(([k, f]) => [k, f.env, f.default, f.description] as const),
    ...Object.entries(extra).map(([k, f]) => [k, f.env ?? '', String(f.default ?? ''), f.description] as const),
  ];
  return [
    `usage: ${app} [flags]`,
    '',
    ...rows.map(([k, env, def, desc]) => `  --${k}${env ? ` ($${env})` : ''}\n      ${desc}${def ? ` (default ${def})` : ''}`),
  ].join('\n');
}

/** Parses flags (`--name=value`, `--flag`, `--flag=false`), falling back to environment then defaults. */
export function parseOptions(
  argv: string[],
  env: Record<string, string | undefined>,
  extra: Record<string, ExtraFlag> = {},
): AppOptions & { help: boolean } {
  const all: Record<string, { type: 'string' | 'boolean'; env?: string | undefined; default?: string | boolean | undefined }> = {
    ...commonFlags,
    ...extra,
  };
  let values: Record<string, string | boolean | undefined>;
  try {
    // Booleans are parsed as strings so `--leader-elect=false` works as in Go; a bare `--leader-elect` means true.
    const args = argv.map((a) => (a.startsWith('--') && all[a.slice(2)]?.type === 'boolean' ? `${a}=true` : a));
    const parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(Object.keys(all).map((k) => [k, { type: 'string' as const }])),
        help: { type: 'boolean' as const, short: 'h' },
      },
    });
    values = { ...parsed.values };
  } catch (err) {
    throw new OptionsError(`${(err as Error).message}\n(run with --help for the flags)`, { cause: err });
  }
  const pick = (name: string): string | boolean | undefined => {
    const spec = all[name];
    const raw = values[name] ?? (spec?.env ? env[spec.env] : undefined);
    const v = raw === '' || raw === undefined ? spec?.default : raw;
    if (spec?.type !== 'boolean' || typeof v === 'boolean' || v === undefined || v === '') return v;
    if (/^(true|1|yes)$/i.test(v)) return true;
    if (/^(false|0|no)$/i.test(v)) return false;
    throw new OptionsError(`--${name} must be true or false, not "${v}"`);
  };
  const namespace = String(pick('namespace'));
  const logLevel = String(pick('log-level'));
  if (!levels.has(logLevel)) throw new OptionsError(`--log-level must be one of ${[...levels].join(', ')}, not "${logLevel}"`);
  const kubeconfig = pick('kubeconfig');
  const metricsAuth = String(pick('metrics-auth')) as MetricsAuthMode;
  if (!metricsAuthModes.includes(metricsAuth)) throw new OptionsError(`--metrics-auth must be one of ${metricsAuthModes.join(', ')}, not "${metricsAuth}"`);
  return {
    help: values['help'] === true,
    kubeconfig: typeof kubeconfig === 'string' && kubeconfig ? kubeconfig : undefined,
    namespace,
    metricsBindAddress: String(pick('metrics-bind-address')),
    metricsAuth,
    metricsCertDir: String(pick('metrics-cert-dir') ?? ''),
    leaderElect: pick('leader-elect') === true,
    leaderElectionNamespace: String(pick('leader-election-namespace') || namespace),
    leaderElection: leaseTiming(pick),
    logLevel: logLevel as LevelWithSilent,
    extra: Object.fromEntries(Object.keys(extra).map((k) => [k, pick(k)])),
  };
}
