import { describe, expect, it } from 'vitest';
import { maxAuthorizationLength, parseAuthorization } from './credentials.ts';

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('parseAuthorization', () => {
  it('reads the token from the password of Basic credentials, whatever the user name', () => {
    expect(parseAuthorization(basic('<token>:abc.def.ghi'))).toEqual({ kind: 'token', token: 'abc.def.ghi' });
    expect(parseAuthorization(basic('x:a:b'))).toEqual({ kind: 'token', token: 'a:b' });
  });

  it('reads Bearer tokens, in any case of the scheme', () => {
    expect(parseAuthorization('Bearer abc')).toEqual({ kind: 'token', token: 'abc' });
    expect(parseAuthorization('bearer abc')).toEqual({ kind: 'token', token: 'abc' });
  });

  it('is anonymous without a header or without a password', () => {
    expect(parseAuthorization(undefined)).toEqual({ kind: 'anonymous' });
    expect(parseAuthorization(basic('user:'))).toEqual({ kind: 'anonymous' });
  });

  it('calls malformed input malformed, without echoing it', () => {
    for (const h of ['Basic !!!', basic('nocolon'), 'Digest x', 'Bearer ', `Bearer ${'a'.repeat(maxAuthorizationLength)}`]) {
      const c = parseAuthorization(h);
      expect(c.kind).toBe('malformed');
      expect(c.kind === 'malformed' && c.reason).not.toContain('nocolon');
    }
  });
});
