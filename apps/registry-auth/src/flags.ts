import { OptionsError, type AppOptions, type ExtraFlag } from '@image-registry/controller-runtime';
import { nodeTlsProfile, TlsProfileError, type NodeTlsProfile } from './tls-profile.ts';

/** The app's name: user agent and field manager `image-registry-operator/registry-auth` (it writes nothing). */
export const appName = 'registry-auth';

/** Flags besides the common ones (--kubeconfig, --metrics-bind-address, --log-level…). */
export const authFlags = {
  'listen-address': { type: 'string', env: 'IRO_LISTEN_ADDRESS', default: ':5000', description: 'host:port of the TLS front door' },
  upstream: {
    type: 'string',
    env: 'IRO_UPSTREAM',
    default: 'http://127.0.0.1:5001',
    description: 'the registry, reachable only from inside the pod (http on loopback)',
  },
  'tls-cert-file': { type: 'string', env: 'IRO_TLS_CERT_FILE', default: '/etc/secrets/tls.crt', description: 'serving certificate (PEM)' },
  'tls-key-file': { type: 'string', env: 'IRO_TLS_KEY_FILE', default: '/etc/secrets/tls.key', description: 'serving key (PEM)' },
  'tls-min-version': { type: 'string', env: 'IRO_TLS_MIN_VERSION', default: 'VersionTLS12', description: 'VersionTLS12 or VersionTLS13 (older values mean TLS 1.2)' },
  'tls-cipher-suites': { type: 'string', env: 'IRO_TLS_CIPHER_SUITES', default: '', description: 'comma-separated IANA cipher suite names; empty: Node defaults' },
  realm: { type: 'string', env: 'IRO_REALM', default: 'openshift', description: 'realm in WWW-Authenticate: Basic realm="…"' },
  'cache-ttl': { type: 'string', env: 'IRO_CACHE_TTL', default: '10s', description: 'how long an accepted token or an allowed access stays cached' },
  'negative-cache-ttl': { type: 'string', env: 'IRO_NEGATIVE_CACHE_TTL', default: '2s', description: 'how long a rejected token or a denied access stays cached' },
  'cache-size': { type: 'string', env: 'IRO_CACHE_SIZE', default: '10000', description: 'most entries in each review cache' },
  'review-timeout': { type: 'string', env: 'IRO_REVIEW_TIMEOUT', default: '5s', description: 'deadline of one TokenReview or SubjectAccessReview (then 503)' },
  'shutdown-delay': {
    type: 'string',
    env: 'IRO_SHUTDOWN_DELAY',
    default: '0s',
    description: 'how long SIGTERM keeps serving (unready) before draining, while endpoints drop the pod; replaces a preStop sleep',
  },
  'drain-timeout': { type: 'string', env: 'IRO_DRAIN_TIMEOUT', default: '25s', description: 'how long SIGTERM waits for in-flight requests (uploads) to finish' },
  'max-header-bytes': { type: 'string', env: 'IRO_MAX_HEADER_BYTES', default: '16384', description: 'largest request head read from a client' },
} as const satisfies Record<string, ExtraFlag>;

export interface AuthSettings {
  listenAddress: string;
  upstream: URL;
  certFile: string;
  keyFile: string;
  tls: NodeTlsProfile;
  realm: string;
  allowTtlMs: number;
  denyTtlMs: number;
  cacheSize: number;
  reviewTimeoutMs: number;
  shutdownDelayMs: number;
  drainTimeoutMs: number;
  maxHeaderBytes: number;
}

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** `500ms`, `10s`, `1m`; `0` turns a cache off. */
export function parseDuration(flag: string, value: string): number {
  if (value === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value);
  if (!m?.[1] || !m[2]) throw new OptionsError(`--${flag} must be a duration such as 500ms, 10s or 1m, not "${value}"`);
  return Math.round(Number(m[1]) * (units[m[2]] ?? 1));
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new OptionsError(`--${flag} must be a positive integer, not "${value}"`);
  return n;
}

/** Checks this app's flag values; throws OptionsError naming the flag. */
export function parseAuthFlags(extra: AppOptions['extra']): AuthSettings {
  const s = (name: keyof typeof authFlags): string => {
    const v = extra[name];
    return typeof v === 'string' ? v : String(authFlags[name].default);
  };
  let upstream: URL;
  try {
    upstream = new URL(s('upstream'));
  } catch (err) {
    throw new OptionsError(`--upstream must be a URL such as http://127.0.0.1:5001, not "${s('upstream')}"`, { cause: err });
  }
  if (upstream.protocol !== 'http:') throw new OptionsError(`--upstream must be an http:// URL on loopback inside the pod, not "${s('upstream')}"`);
  let tls: NodeTlsProfile;
  try {
    const suites = s('tls-cipher-suites').split(',').map((c) => c.trim()).filter(Boolean);
    tls = nodeTlsProfile(s('tls-min-version'), suites);
  } catch (err) {
    if (err instanceof TlsProfileError) throw new OptionsError(err.message, { cause: err });
    throw err;
  }
  const realm = s('realm');
  if (!/^[\x20-\x7e]*$/.test(realm) || realm.includes('"')) throw new OptionsError(`--realm must be printable ASCII without quotes`);
  return {
    listenAddress: s('listen-address'),
    upstream,
    certFile: s('tls-cert-file'),
    keyFile: s('tls-key-file'),
    tls,
    realm,
    allowTtlMs: parseDuration('cache-ttl', s('cache-ttl')),
    denyTtlMs: parseDuration('negative-cache-ttl', s('negative-cache-ttl')),
    cacheSize: positiveInt('cache-size', s('cache-size')),
    reviewTimeoutMs: parseDuration('review-timeout', s('review-timeout')),
    shutdownDelayMs: parseDuration('shutdown-delay', s('shutdown-delay')),
    drainTimeoutMs: parseDuration('drain-timeout', s('drain-timeout')),
    maxHeaderBytes: positiveInt('max-header-bytes', s('max-header-bytes')),
  };
}
