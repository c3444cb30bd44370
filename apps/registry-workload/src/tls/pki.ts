import { issueCertificate, inspectCertificate } from '@image-registry/controller-runtime';
import type { CertificateFacts, KeyPair } from '@image-registry/controller-runtime';

// The registry's CA and serving certificate (ECDSA P-256, written by controller-runtime's certificates.ts).
export { inspectCertificate, isSignedBy, keyMatchesCertificate } from '@image-registry/controller-runtime';

export type Pem = KeyPair;

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

/** What rotation decisions read from a certificate. */
export type CertificateInfo = CertificateFacts;

// Certificates start a minute early: clocks of the cluster's clients are rarely exact.
const skewMs = 60_000;

/** A self-signed CA that can sign serving certificates and nothing below them. */
export function issueCA(commonName: string, now: Date, validityMs: number): Pem {
  return issueCertificate({ commonName, ca: true, notBefore: new Date(now.getTime() - skewMs), notAfter: new Date(now.getTime() + validityMs) });
}

/** A serving certificate for `dnsNames`, signed by `ca`, never outliving it. */
export function issueServing(ca: Pem, dnsNames: readonly string[], now: Date, validityMs: number): Pem {
  const caNotAfter = inspectCertificate(ca.cert)?.notAfter.getTime() ?? now.getTime();
  return issueCertificate({
    commonName: dnsNames[0] ?? 'image-registry',
    dnsNames,
    issuer: ca,
    notBefore: new Date(now.getTime() - skewMs),
    notAfter: new Date(Math.min(now.getTime() + validityMs, caNotAfter)),
  });
}

/** Every certificate in a PEM bundle, in order. */
export function splitPemBundle(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}
