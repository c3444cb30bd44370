/**
 * Reads the parts of a ServiceAccount token the refresh test needs, without verifying it: the API server
 * issued it to us and will verify it wherever it is used. Never returns or logs the token itself.
 */
export interface TokenClaims {
  /** The signing key's ID (JWT header `kid`). */
  kid: string | undefined;
  /** Seconds since the epoch. */
  exp: number | undefined;
  nbf: number | undefined;
  iat: number | undefined;
  /** The object the token is bound to (`kubernetes.io.secret`), when bound to a Secret. */
  boundSecretUid: string | undefined;
  serviceAccountUid: string | undefined;
}

/** The claims of a JWT, or undefined when it is not one. */
export function readTokenClaims(token: string): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = decodePart(parts[0] ?? '');
  const payload = decodePart(parts[1] ?? '');
  if (!header || !payload) return undefined;
  const k8s = obj(payload['kubernetes.io']);
  return {
    kid: str(header['kid']),
    exp: num(payload['exp']),
    nbf: num(payload['nbf']),
    iat: num(payload['iat']),
    boundSecretUid: str(obj(k8s?.['secret'])?.['uid']),
    serviceAccountUid: str(obj(k8s?.['serviceaccount'])?.['uid']),
  };
}

function decodePart(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    return obj(JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  } catch {
    return undefined;
  }
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
