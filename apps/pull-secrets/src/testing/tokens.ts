// Test helpers: unsigned JWT-shaped tokens with the claims kube-apiserver puts in bound tokens.
export function fakeToken(claims: { kid?: string; nbf?: number; exp?: number; secretUid?: string; saUid?: string }): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const header = { alg: 'ES256', ...(claims.kid ? { kid: claims.kid } : {}) };
  const payload = {
    exp: claims.exp,
    nbf: claims.nbf,
    iat: claims.nbf,
    'kubernetes.io': {
      namespace: 'ns',
      secret: { name: 's', uid: claims.secretUid ?? 'secret-uid' },
      serviceaccount: { name: 'sa', uid: claims.saUid ?? 'sa-uid' },
    },
  };
  return `${enc(header)}.${enc(payload)}.c2lnbmF0dXJl`;
}
