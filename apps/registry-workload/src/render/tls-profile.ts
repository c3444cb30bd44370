import { InvalidConfigError } from './errors.ts';

/** The serving TLS profile observed from the cluster (`spec.observedConfig.servingInfo`). */
export interface TlsProfile {
  minTLSVersion?: string;
  cipherSuites?: string[];
}

const versions = ['VersionTLS10', 'VersionTLS11', 'VersionTLS12', 'VersionTLS13'];

// IANA names Go's crypto/tls implements (tls.CipherSuites() and InsecureCipherSuites()).
const knownCiphers = new Set([
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_128_CBC_SHA',
  'TLS_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
  'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads `servingInfo` from `spec.observedConfig` (an object, or upstream's JSON text) and checks it
 * names versions and ciphers Go knows, so a typo is reported instead of crash-looping the registry.
 */
export function tlsProfile(observedConfig: unknown): TlsProfile {
  let observed = observedConfig;
  if (typeof observed === 'string') {
    try {
      observed = JSON.parse(observed) as unknown;
    } catch (err) {
      throw new InvalidConfigError('spec.observedConfig', `failed to unmarshal observedConfig: ${(err as Error).message}`, { cause: err });
    }
  }
  if (observed === undefined || observed === null) return {};
  if (!isRecord(observed)) throw new InvalidConfigError('spec.observedConfig', 'failed to unmarshal observedConfig: it must be an object');
  const serving = observed['servingInfo'];
  if (!isRecord(serving)) return {};
  const profile: TlsProfile = {};
  const min = serving['minTLSVersion'];
  if (typeof min === 'string' && min !== '') {
    if (!versions.includes(min)) {
      throw new InvalidConfigError(
        'spec.observedConfig.servingInfo.minTLSVersion',
        `unable to generate tls config: invalid TLS version: ${min}: use one of ${versions.join(', ')}`,
      );
    }
    profile.minTLSVersion = min;
  }
  const ciphers = serving['cipherSuites'];
  if (Array.isArray(ciphers) && ciphers.length > 0) {
    const names = ciphers.map(String);
    const unknown = names.filter((c) => !knownCiphers.has(c));
    if (unknown.length > 0) {
      throw new InvalidConfigError(
        'spec.observedConfig.servingInfo.cipherSuites',
        `unable to generate tls config: invalid cipher suite: ${unknown.join(', ')}: unknown cipher name (use IANA names such as TLS_AES_128_GCM_SHA256)`,
      );
    }
    profile.cipherSuites = names;
  }
  return profile;
}

/**
 * CNCF distribution knows only `tls1.2` and `tls1.3`, and ignores cipher suites from TLS 1.3 on;
 * an older minimum becomes tls1.2 (stricter, never weaker).
 */
export function distributionMinimumTls(min: string): string {
  return min === 'VersionTLS13' ? 'tls1.3' : 'tls1.2';
}
