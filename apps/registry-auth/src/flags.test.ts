import { OptionsError } from '@image-registry/controller-runtime';
import { describe, expect, it } from 'vitest';
import { parseAuthFlags, parseDuration } from './flags.ts';

describe('parseAuthFlags', () => {
  it('defaults to the pod layout: TLS on :5000 with /etc/secrets, the registry on loopback, 10 s / 2 s caches', () => {
    const s = parseAuthFlags({});
    expect(s).toMatchObject({
      listenAddress: ':5000',
      certFile: '/etc/secrets/tls.crt',
      keyFile: '/etc/secrets/tls.key',
      realm: 'openshift',
      allowTtlMs: 10_000,
      denyTtlMs: 2_000,
      cacheSize: 10_000,
      reviewTimeoutMs: 5_000,
      shutdownDelayMs: 0,
      drainTimeoutMs: 25_000,
      maxHeaderBytes: 16_384,
      tls: { minVersion: 'TLSv1.2' },
    });
    expect(s.upstream.href).toBe('http://127.0.0.1:5001/');
  });

  it('names the flag of a bad value', () => {
    expect(() => parseAuthFlags({ upstream: 'https://127.0.0.1:5001' })).toThrow(/--upstream must be an http:\/\//);
    expect(() => parseAuthFlags({ 'cache-ttl': 'ten' })).toThrow(/--cache-ttl/);
    expect(() => parseAuthFlags({ 'cache-size': '-1' })).toThrow(/--cache-size/);
    expect(() => parseAuthFlags({ 'tls-cipher-suites': 'TLS_NOPE' })).toThrow(OptionsError);
    expect(() => parseAuthFlags({ realm: 'a"b' })).toThrow(/--realm/);
  });
});

describe('parseDuration', () => {
  it('reads ms, s and m, and 0', () => {
    expect(parseDuration('x', '500ms')).toBe(500);
    expect(parseDuration('x', '1.5s')).toBe(1500);
    expect(parseDuration('x', '1m')).toBe(60_000);
    expect(parseDuration('x', '0')).toBe(0);
  });
});
