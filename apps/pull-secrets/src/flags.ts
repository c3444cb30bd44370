import { OptionsError, parseDuration, type ExtraFlag } from '@image-registry/controller-runtime';

/** The app's name: field manager `image-registry-operator/pull-secrets`, Lease `pull-secrets-leader`. */
export const appName = 'pull-secrets';

/** Flags of the pull-secrets app besides the common ones. */
export const pullSecretsFlags = {
  'ignored-namespaces': {
    type: 'string',
    env: 'IRO_IGNORED_NAMESPACES',
    default: '',
    description: 'comma-separated namespaces whose ServiceAccounts get no pull secret and no image-pullers RoleBinding',
  },
  'ignore-system-namespaces': {
    type: 'boolean',
    env: 'IRO_IGNORE_SYSTEM_NAMESPACES',
    default: false,
    description: 'also leave kube-*, openshift-* and the operand namespace alone',
  },
  'additional-registry-hosts': {
    type: 'string',
    env: 'IRO_ADDITIONAL_REGISTRY_HOSTS',
    default: '',
    description: 'comma-separated extra hostnames (host[:port]) every pull secret gets an entry for',
  },
  'management-state': {
    type: 'string',
    env: 'IRO_PULL_SECRETS_MANAGEMENT_STATE',
    default: 'Managed',
    description: 'Managed: follow Config/cluster; Removed: remove the injected pull secrets and RoleBindings whatever the Config says',
  },
  concurrency: {
    type: 'string',
    env: 'IRO_CONCURRENCY',
    default: '16',
    description: 'concurrent reconciles of each of the ServiceAccount and pull-secret loops',
  },
  'kube-api-qps': {
    type: 'string',
    env: 'IRO_KUBE_API_QPS',
    default: '500',
    description: 'client-side rate limit of API requests per second (0: none)',
  },
  'kube-api-burst': {
    type: 'string',
    env: 'IRO_KUBE_API_BURST',
    default: '1000',
    description: 'API requests allowed at once above --kube-api-qps',
  },
  'resync-period': {
    type: 'string',
    env: 'IRO_RESYNC_PERIOD',
    default: '10m',
    description: 're-check every cached ServiceAccount and pull secret this often (no writes unless something drifted)',
  },
  'removal-min-secret-age': {
    type: 'string',
    env: 'IRO_REMOVAL_MIN_SECRET_AGE',
    default: '10m',
    description: 'when removing, never delete a pull secret younger than this (kubelet may be about to use it)',
  },
} as const satisfies Record<string, ExtraFlag>;

export interface PullSecretsSettings {
  ignoredNamespaces: string[];
  ignoreSystemNamespaces: boolean;
  additionalRegistryHosts: string[];
  managementState: 'Managed' | 'Removed';
  concurrency: number;
  qps: number;
  burst: number;
  resyncPeriodMs: number;
  removalMinAgeMs: number;
}

/** Checks and converts the app's flags; errors name the flag and what it accepts. */
export function parseSettings(extra: Record<string, string | boolean | undefined>): PullSecretsSettings {
  const list = (k: string) =>
    String(extra[k] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const state = String(extra['management-state'] ?? 'Managed');
  if (state !== 'Managed' && state !== 'Removed') throw new OptionsError(`--management-state must be Managed or Removed, not "${state}"`);
  for (const host of list('additional-registry-hosts')) {
    if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/.test(host)) {
      throw new OptionsError(`--additional-registry-hosts: "${host}" is not a hostname[:port]`);
    }
  }
  return {
    ignoredNamespaces: list('ignored-namespaces'),
    ignoreSystemNamespaces: extra['ignore-system-namespaces'] === true,
    additionalRegistryHosts: list('additional-registry-hosts'),
    managementState: state,
    concurrency: positiveInt('concurrency', extra['concurrency'], 1),
    qps: positiveInt('kube-api-qps', extra['kube-api-qps'], 0),
    burst: positiveInt('kube-api-burst', extra['kube-api-burst'], 1),
    resyncPeriodMs: parseDuration('resync-period', String(extra['resync-period'] ?? '10m')),
    removalMinAgeMs: parseDuration('removal-min-secret-age', String(extra['removal-min-secret-age'] ?? '10m')),
  };
}

function positiveInt(flag: string, value: unknown, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new OptionsError(`--${flag} must be an integer ≥ ${min}, not "${String(value)}"`);
  return n;
}

// One Go-duration parser for every app's flags.
export { parseDuration };
