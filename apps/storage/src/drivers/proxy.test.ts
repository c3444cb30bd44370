import { describe, expect, it } from 'vitest';
import { bypassesProxy, proxyFor } from './proxy.ts';

describe('NO_PROXY', () => {
  it('exempts exact hosts, domain suffixes, IPs and *', () => {
    expect(bypassesProxy('s3.internal', 's3.internal')).toBe(true);
    expect(bypassesProxy('a.blob.example', '.example')).toBe(true);
    expect(bypassesProxy('a.blob.example', 'example')).toBe(true);
    expect(bypassesProxy('notexample', 'example')).toBe(false);
    expect(bypassesProxy('10.0.0.1', '10.0.0.1')).toBe(true);
    expect(bypassesProxy('anything', '*')).toBe(true);
  });

  it('an entry with a port exempts that port only', () => {
    expect(bypassesProxy('127.0.0.1', '127.0.0.1:6443', '6443')).toBe(true);
    expect(bypassesProxy('127.0.0.1', '127.0.0.1:6443', '9000')).toBe(false);
    expect(bypassesProxy('127.0.0.1', '127.0.0.1', '9000')).toBe(true);
  });

  it('reads IPv6 entries, bracketed with a port or bare', () => {
    expect(bypassesProxy('[::1]', '::1', '9000')).toBe(true);
    expect(bypassesProxy('[::1]', '[::1]:9000', '9000')).toBe(true);
    expect(bypassesProxy('[::1]', '[::1]:9000', '80')).toBe(false);
  });
});

describe('proxyFor', () => {
  const env = { HTTP_PROXY: 'http://127.0.0.1:3128', HTTPS_PROXY: 'http://127.0.0.1:3129' };

  it('picks the proxy by scheme and leaves out what NO_PROXY exempts, port included', () => {
    expect(proxyFor('http://127.0.0.1:9000/b', env)).toBe('http://127.0.0.1:3128');
    expect(proxyFor('https://storage.example/b', env)).toBe('http://127.0.0.1:3129');
    expect(proxyFor('http://127.0.0.1:9000/b', { ...env, NO_PROXY: '127.0.0.1:6443' })).toBe(
      'http://127.0.0.1:3128',
    );
    expect(proxyFor('http://127.0.0.1:9000/b', { ...env, NO_PROXY: '127.0.0.1:9000' })).toBeUndefined();
    expect(
      proxyFor('https://storage.example/b', { ...env, no_proxy: 'storage.example:443' }),
    ).toBeUndefined();
  });
});
