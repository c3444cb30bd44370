/**
 * The bearer token a request carries (pure). Clients send a `.dockercfg` entry as `Basic
 * base64(<any user>:<token>)` (kubelet, docker, podman, skopeo, containerd); tools that hold a token send
 * `Bearer <token>`. No header means anonymous.
 */
export type Credentials =
  | { kind: 'anonymous' }
  | { kind: 'token'; token: string }
  | { kind: 'malformed'; reason: string };

/** Longest Authorization header read; Kubernetes tokens are a few KB at most. */
export const maxAuthorizationLength = 16 * 1024;

export function parseAuthorization(header: string | string[] | undefined): Credentials {
  if (header === undefined || header === '') return { kind: 'anonymous' };
  if (Array.isArray(header)) return { kind: 'malformed', reason: 'more than one Authorization header' };
  if (header.length > maxAuthorizationLength) {
    return { kind: 'malformed', reason: `the Authorization header is longer than ${maxAuthorizationLength} bytes` };
  }
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme === 'bearer') {
    return value ? { kind: 'token', token: value } : { kind: 'malformed', reason: 'the Bearer token is empty' };
  }
  if (scheme === 'basic') {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return { kind: 'malformed', reason: 'the Basic credentials are not base64' };
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { kind: 'malformed', reason: 'the Basic credentials have no "user:password" form' };
    const token = decoded.slice(colon + 1);
    // A login without a password is anonymous, as OpenShift's registry treats it.
    return token ? { kind: 'token', token } : { kind: 'anonymous' };
  }
  return { kind: 'malformed', reason: `the Authorization scheme must be Basic or Bearer` };
}
