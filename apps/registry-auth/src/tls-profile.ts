/**
 * The cluster's TLS profile (as registry-workload observes it: Go/IANA names) in Node's terms (pure).
 * OpenSSL names TLS 1.2 suites its own way; TLS 1.3 suites keep their IANA names.
 */

const openssl: Record<string, string> = {
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 'ECDHE-ECDSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 'ECDHE-RSA-AES128-SHA256',
  TLS_RSA_WITH_AES_128_CBC_SHA256: 'AES128-SHA256',
  TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA: 'ECDHE-RSA-DES-CBC3-SHA',
  TLS_RSA_WITH_3DES_EDE_CBC_SHA: 'DES-CBC3-SHA',
};
const tls13 = new Set(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']);

export class TlsProfileError extends Error {
  override name = 'TlsProfileError';
}

export interface NodeTlsProfile {
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  ciphers?: string;
}

/**
 * `VersionTLS12`/`VersionTLS13` (older minimums become TLS 1.2: stricter, never weaker, as the registry
 * does) and a list of IANA suite names.
 */
export function nodeTlsProfile(minTLSVersion: string, cipherSuites: string[]): NodeTlsProfile {
  if (minTLSVersion && !/^VersionTLS1[0-3]$/.test(minTLSVersion)) {
    throw new TlsProfileError(`--tls-min-version must be one of VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13, not "${minTLSVersion}"`);
  }
  const minVersion = minTLSVersion === 'VersionTLS13' ? 'TLSv1.3' : 'TLSv1.2';
  if (cipherSuites.length === 0) return { minVersion };
  const unknown = cipherSuites.filter((c) => !openssl[c] && !tls13.has(c));
  if (unknown.length > 0) {
    throw new TlsProfileError(`--tls-cipher-suites has unknown IANA names: ${unknown.join(', ')} (e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)`);
  }
  // TLS 1.3 suites stay enabled even when the profile lists only TLS 1.2 ones, as in Go.
  const names = cipherSuites.map((c) => openssl[c] ?? c);
  for (const suite of tls13) if (!names.includes(suite)) names.push(suite);
  return { minVersion, ciphers: names.join(':') };
}
