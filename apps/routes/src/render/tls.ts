import type { Problem, Rendered } from './requests.ts';

/** The keys a route's TLS secret may hold (upstream: tls.crt, tls.key, tls.cacrt). */
export const tlsKeys = { certificate: 'tls.crt', key: 'tls.key', caCertificate: 'tls.cacrt' } as const;

export interface SecretData {
  data?: Record<string, string>;
}

export interface RouteTls {
  certificate?: string;
  key?: string;
  caCertificate?: string;
}

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

function missingSecret(secretName: string, namespace: string, routeName: string): Problem {
  return {
    reason: 'SecretNotFound',
    message:
      `route ${routeName}: secret ${namespace}/${secretName} (spec.routes secretName) not found; ` +
      `create it with keys ${tlsKeys.certificate} and ${tlsKeys.key}`,
  };
}

/**
 * A Route's certificate fields from the secret, each only when its key is present (upstream). The
 * secret must exist: a route without its certificate would serve the router's default one.
 */
export function routeTlsFromSecret(
  secret: SecretData | undefined,
  ref: { secretName: string; namespace: string; routeName: string },
): Rendered<RouteTls> {
  if (!secret) return { ok: false, problem: missingSecret(ref.secretName, ref.namespace, ref.routeName) };
  const out: RouteTls = {};
  for (const [field, key] of Object.entries(tlsKeys) as [keyof RouteTls, string][]) {
    const v = secret.data?.[key];
    if (v) out[field] = decode(v);
  }
  return { ok: true, value: out };
}

/**
 * An Ingress names its secret and the ingress controller reads it, so only check it is usable: it
 * exists and holds a non-empty certificate and key.
 */
export function checkIngressSecret(
  secret: SecretData | undefined,
  ref: { secretName: string; namespace: string; routeName: string },
): Problem | undefined {
  if (!secret) return missingSecret(ref.secretName, ref.namespace, ref.routeName);
  for (const key of [tlsKeys.certificate, tlsKeys.key]) {
    if (!secret.data?.[key]) {
      return {
        reason: 'SecretInvalid',
        message: `route ${ref.routeName}: secret ${ref.namespace}/${ref.secretName} has no ${key}; add the PEM ${key === tlsKeys.key ? 'private key' : 'certificate'} under ${key}`,
      };
    }
  }
  return undefined;
}
