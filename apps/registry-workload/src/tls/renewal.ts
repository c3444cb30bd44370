import type { Validity } from './pki.ts';

/** Certificates are renewed once this share of their lifetime has passed. */
export const renewalFraction = 0.8;

/** The moment a certificate is due for renewal: 80% into its lifetime. */
export function renewalTime(v: Validity, fraction = renewalFraction): Date {
  const start = v.notBefore.getTime();
  return new Date(start + (v.notAfter.getTime() - start) * fraction);
}

export function isDueForRenewal(v: Validity, now: Date, fraction = renewalFraction): boolean {
  return now.getTime() >= renewalTime(v, fraction).getTime() || now.getTime() < v.notBefore.getTime();
}
