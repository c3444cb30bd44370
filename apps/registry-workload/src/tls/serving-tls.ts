import {
  inspectCertificate,
  isSignedBy,
  issueCA,
  issueServing,
  keyMatchesCertificate,
  splitPemBundle,
  type Pem,
} from './pki.ts';
import { isDueForRenewal, renewalTime } from './renewal.ts';

const day = 24 * 60 * 60 * 1000;

export interface ServingTlsOptions {
  /** Lifetime of the self-issued CA; renewed at 80%. Default: 5 years. */
  caValidityMs?: number;
  /** Lifetime of the serving certificate; renewed at 80%. Default: 1 year (capped by the CA's). */
  servingValidityMs?: number;
  caCommonName?: string;
  /**
   * How long a new CA is published in the bundle before the serving certificate switches to it, so
   * every client (nodes through node-ca, pods through serviceca) trusts it first. Default: 1 hour.
   */
  caPropagationMs?: number;
}

export const defaultServingTlsOptions: Required<ServingTlsOptions> = {
  caValidityMs: 5 * 365 * day,
  servingValidityMs: 365 * day,
  caCommonName: 'image-registry-operator serving CA',
  caPropagationMs: 60 * 60 * 1000,
};

/** What the CA Secret and the serving Secret hold today (either may be missing or broken). */
export interface CurrentTls {
  /** `next`: a CA issued ahead of a rotation, published in the bundle but not yet signing. */
  ca?: { cert?: string; key?: string; bundle?: string; next?: { cert?: string; key?: string } | undefined } | undefined;
  serving?: { cert?: string; key?: string } | undefined;
}

export interface ServingTls {
  ca: Pem;
  /** The CAs clients must trust: the current one first, then a replaced one until it expires. */
  bundle: string;
  serving: Pem;
  /** The CA waiting out the propagation delay before it signs (kept in the CA Secret). */
  next?: Pem | undefined;
  /** A new CA signs from now on. */
  caIssued: boolean;
  /** A CA was issued ahead of a rotation (it joined the bundle; serving has not switched yet). */
  nextIssued: boolean;
  servingIssued: boolean;
  /** When something next needs doing (a renewal, or dropping an expired CA from the bundle). */
  nextCheck: Date;
}

/** A CA that can sign: a CA certificate whose key matches, not expired. */
function signingCA(ca: { cert?: string; key?: string } | undefined, now: Date): (Pem & { due: boolean; notBefore: Date }) | undefined {
  if (!ca?.cert || !ca.key) return undefined;
  const info = inspectCertificate(ca.cert);
  if (!info?.isCA || now.getTime() >= info.notAfter.getTime() || now.getTime() < info.notBefore.getTime()) return undefined;
  if (!(keyMatchesCertificate(ca.cert, ca.key))) return undefined;
  return { cert: ca.cert, key: ca.key, due: isDueForRenewal(info, now), notBefore: info.notBefore };
}

function usableServing(serving: CurrentTls['serving'], ca: Pem, hostnames: readonly string[], now: Date): Pem | undefined {
  if (!serving?.cert || !serving.key) return undefined;
  const info = inspectCertificate(serving.cert);
  if (!info || isDueForRenewal(info, now)) return undefined;
  const names = [...info.dnsNames].sort();
  const wanted = [...hostnames].sort();
  if (names.length !== wanted.length || names.some((n, i) => n !== wanted[i])) return undefined;
  if (!(isSignedBy(serving.cert, ca.cert))) return undefined;
  return (keyMatchesCertificate(serving.cert, serving.key)) ? { cert: serving.cert, key: serving.key } : undefined;
}

function normalizePem(pem: string): string {
  return pem.trim();
}

/**
 * The serving TLS this app should publish where OpenShift's service-ca does not exist: keeps what is
 * valid, re-issues what is missing, broken, for other names, signed by another CA, or 80% through
 * its lifetime. A CA rotation is staged (the successor joins the bundle, then signs after the
 * propagation delay), and a replaced CA stays in the bundle until it expires, so clients always trust
 * the CA of the certificate they are shown.
 */
export function planServingTls(
  current: CurrentTls,
  hostnames: readonly string[],
  now: Date,
  options: ServingTlsOptions = {},
): ServingTls {
  const opts = { ...defaultServingTlsOptions, ...options };
  const moments: number[] = [];
  // Rotation is staged: a CA due for renewal keeps signing while its successor sits in the bundle for
  // the propagation delay; only then does the successor sign. A CA that cannot sign at all (missing,
  // broken, expired) is replaced at once: there is nothing to keep serving with.
  const signer = signingCA(current.ca, now);
  let ca: Pem;
  let next: Pem | undefined;
  let caIssued = false;
  let nextIssued = false;
  if (!signer) {
    ca = issueCA(opts.caCommonName, now, opts.caValidityMs);
    caIssued = true;
  } else if (!signer.due) {
    ca = { cert: signer.cert, key: signer.key };
  } else {
    const waiting = signingCA(current.ca?.next, now);
    if (waiting && now.getTime() >= waiting.notBefore.getTime() + opts.caPropagationMs) {
      ca = { cert: waiting.cert, key: waiting.key };
      caIssued = true;
    } else {
      ca = { cert: signer.cert, key: signer.key };
      next = waiting ? { cert: waiting.cert, key: waiting.key } : issueCA(opts.caCommonName, now, opts.caValidityMs);
      nextIssued = !waiting;
      moments.push((inspectCertificate(next.cert)?.notBefore.getTime() ?? now.getTime()) + opts.caPropagationMs);
    }
  }

  const previous = [
    ...splitPemBundle(current.ca?.bundle ?? ''),
    ...(current.ca?.cert ? splitPemBundle(current.ca.cert) : []),
    ...(current.ca?.next?.cert ? splitPemBundle(current.ca.next.cert) : []),
  ];
  const kept = [normalizePem(ca.cert), ...(next ? [normalizePem(next.cert)] : [])];
  for (const pem of previous.map(normalizePem)) {
    const info = inspectCertificate(pem);
    if (info?.isCA && info.notAfter.getTime() > now.getTime() && !kept.includes(pem)) kept.push(pem);
  }

  let serving = usableServing(current.serving, ca, hostnames, now);
  const servingIssued = serving === undefined;
  serving ??= issueServing(ca, hostnames, now, opts.servingValidityMs);

  // While a successor waits, the signer's renewal time has passed: the switch moment above counts instead.
  for (const pem of next ? [serving.cert] : [ca.cert, serving.cert]) {
    const info = inspectCertificate(pem);
    if (info) moments.push(renewalTime(info).getTime());
  }
  for (const pem of kept.slice(next ? 2 : 1)) {
    const info = inspectCertificate(pem);
    if (info) moments.push(info.notAfter.getTime());
  }
  return {
    ca,
    bundle: `${kept.join('\n')}\n`,
    serving,
    next,
    caIssued,
    nextIssued,
    servingIssued,
    nextCheck: new Date(Math.min(...moments)),
  };
}
