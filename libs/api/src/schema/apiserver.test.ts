import { describe, expect, it } from 'vitest';
import { observedServingInfo } from './apiserver.ts';

describe('observedServingInfo (upstream TestObservedConfigTLSSecurityProfile)', () => {
  it('is Intermediate without an APIServer or a profile', () => {
    const intermediate = {
      minTLSVersion: 'VersionTLS12',
      cipherSuites: [
        'TLS_AES_128_GCM_SHA256',
        'TLS_AES_256_GCM_SHA384',
        'TLS_CHACHA20_POLY1305_SHA256',
        'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
        'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
        'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
        'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
        'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
        'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
      ],
    };
    expect(observedServingInfo(undefined)).toEqual(intermediate);
    expect(observedServingInfo({ type: 'Intermediate' })).toEqual(intermediate);
    expect(observedServingInfo({ type: 'Custom' })).toEqual(intermediate);
  });

  it('is TLS 1.3 only for Modern, and converts a Custom profile from OpenSSL names, dropping what Go lacks', () => {
    expect(observedServingInfo({ type: 'Modern' })).toEqual({
      minTLSVersion: 'VersionTLS13',
      cipherSuites: ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'],
    });
    expect(
      observedServingInfo({ type: 'Custom', custom: { minTLSVersion: 'VersionTLS11', ciphers: ['ECDHE-RSA-AES128-GCM-SHA256', 'DHE-RSA-AES128-GCM-SHA256'] } }),
    ).toEqual({ minTLSVersion: 'VersionTLS11', cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] });
    expect(observedServingInfo({ type: 'Old' }).minTLSVersion).toBe('VersionTLS10');
    expect(observedServingInfo({ type: 'Old' }).cipherSuites).toContain('TLS_RSA_WITH_3DES_EDE_CBC_SHA');
  });
});
