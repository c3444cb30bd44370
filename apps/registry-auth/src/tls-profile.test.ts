import { describe, expect, it } from 'vitest';
import { nodeTlsProfile } from './tls-profile.ts';

describe('nodeTlsProfile', () => {
  it('maps the minimum version, never weaker than TLS 1.2', () => {
    expect(nodeTlsProfile('VersionTLS13', [])).toEqual({ minVersion: 'TLSv1.3' });
    expect(nodeTlsProfile('VersionTLS10', [])).toEqual({ minVersion: 'TLSv1.2' });
    expect(nodeTlsProfile('', [])).toEqual({ minVersion: 'TLSv1.2' });
  });

  it('maps IANA suite names to OpenSSL ones and keeps TLS 1.3 suites', () => {
    const p = nodeTlsProfile('VersionTLS12', ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256']);
    expect(p.ciphers?.split(':')).toEqual(['ECDHE-RSA-AES128-GCM-SHA256', 'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']);
  });

  it('names unknown suites and versions', () => {
    expect(() => nodeTlsProfile('VersionTLS12', ['TLS_FOO'])).toThrow(/TLS_FOO/);
    expect(() => nodeTlsProfile('TLS1.2', [])).toThrow(/VersionTLS12/);
  });
});
