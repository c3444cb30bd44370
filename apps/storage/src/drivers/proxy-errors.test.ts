import { describe, expect, it } from 'vitest';
import { namingProxy } from './proxy-errors.ts';

const refused = (address: string, port: number) =>
  Object.assign(new Error(`connect ECONNREFUSED ${address}:${port}`), {
    code: 'ECONNREFUSED',
    address,
    port,
  });

describe('namingProxy', () => {
  it('names the proxy a connection to it failed at, without its credentials', () => {
    const err = namingProxy(refused('127.0.0.1', 3128), { HTTPS_PROXY: 'http://user:secret@127.0.0.1:3128' });
    expect((err as Error).message).toBe('proxy http://127.0.0.1:3128: connect ECONNREFUSED 127.0.0.1:3128');
  });

  it('matches a proxy named by host name on its port, lower-case variables too', () => {
    const err = namingProxy(refused('10.0.0.7', 8080), { http_proxy: 'http://proxy.example:8080' });
    expect((err as Error).message).toMatch(/^proxy http:\/\/proxy\.example:8080: /);
  });

  it('leaves an error of the endpoint itself, or without a proxy, as it was', () => {
    expect(
      (namingProxy(refused('127.0.0.1', 9000), { HTTP_PROXY: 'http://127.0.0.1:3128' }) as Error).message,
    ).toBe('connect ECONNREFUSED 127.0.0.1:9000');
    expect((namingProxy(refused('127.0.0.1', 3128), {}) as Error).message).toBe(
      'connect ECONNREFUSED 127.0.0.1:3128',
    );
    const http = Object.assign(new Error('Forbidden'), { $metadata: { httpStatusCode: 403 } });
    expect(namingProxy(http, { HTTP_PROXY: 'http://127.0.0.1:3128' })).toBe(http);
  });

  it('names it once, however often the error passes', () => {
    const env = { HTTP_PROXY: 'http://127.0.0.1:3128' };
    const err = namingProxy(namingProxy(refused('127.0.0.1', 3128), env), env);
    expect((err as Error).message).toBe('proxy http://127.0.0.1:3128: connect ECONNREFUSED 127.0.0.1:3128');
  });
});
