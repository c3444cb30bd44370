import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fakeToken } from '../testing/tokens.ts';
import { readTokenClaims } from './jwt.ts';
import { keyIdsFromPem } from './key-ids.ts';

describe('readTokenClaims', () => {
  it('reads kid, times and the bound secret', () => {
    expect(readTokenClaims(fakeToken({ kid: 'k', nbf: 10, exp: 20, secretUid: 'u1', saUid: 'u2' }))).toEqual({
      kid: 'k',
      exp: 20,
      nbf: 10,
      iat: 10,
      boundSecretUid: 'u1',
      serviceAccountUid: 'u2',
    });
  });
  it('answers undefined for what is not a JWT', () => {
    for (const t of ['', 'a.b', 'a.b.c', '!!.??.x', `${Buffer.from('[]').toString('base64url')}.e30.x`]) expect(readTokenClaims(t)).toBeUndefined();
  });
});

describe('keyIdsFromPem', () => {
  it('derives kube-apiserver key IDs: base64url SHA-256 of the PKIX DER, sorted, unique', () => {
    const a = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
    const b = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' });
    const ids = keyIdsFromPem(`${a}\n${b}\n${a}`);
    expect(ids).toHaveLength(2);
    expect(ids).toEqual([...ids].sort());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keyIdsFromPem('garbage')).toEqual([]);
  });
});
