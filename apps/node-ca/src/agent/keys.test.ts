import { describe, expect, it } from 'vitest';
import { hostFromKey, isHostname } from './keys.ts';

describe('hostFromKey', () => {
  it('turns the last ".." into the port separator', () => {
    expect(hostFromKey('image-registry.ns.svc..5000')).toEqual({ ok: true, host: 'image-registry.ns.svc:5000' });
    expect(hostFromKey('foo.example.com')).toEqual({ ok: true, host: 'foo.example.com' });
    expect(hostFromKey('bar.example.com..5000')).toEqual({ ok: true, host: 'bar.example.com:5000' });
  });

  it.each([
    ['..', 'starts with a dot'],
    ['.', 'starts with a dot'],
    ['..data', 'starts with a dot'],
    ['..5000', 'starts with a dot'],
    ['.hidden', 'starts with a dot'],
    ['a/../../etc', 'not a DNS name'],
    ['a..b..5000', 'not a DNS name'],
    ['host..0', 'the port after ".." is not 1-65535'],
    ['host..99999', 'the port after ".." is not 1-65535'],
    ['host..', 'the port after ".." is not 1-65535'],
    [`${'a'.repeat(64)}.example.com`, 'not a DNS name'],
    [Array.from({ length: 64 }, () => 'abc').join('.'), 'longer than 253 characters'],
    ['storage-ca-bundle.pem', 'the storage CA bundle is not a registry host'],
    ['ünicode.example.com', 'not a DNS name'],
  ])('refuses %j (%s)', (key, reason) => {
    expect(hostFromKey(key)).toEqual({ ok: false, reason });
  });

  it('accepts hostnames for /etc/hosts only without ports or paths', () => {
    expect(isHostname('image-registry.ns.svc.cluster.local')).toBe(true);
    expect(isHostname('a:5000')).toBe(false);
    expect(isHostname('')).toBe(false);
    expect(isHostname('a b')).toBe(false);
  });
});
