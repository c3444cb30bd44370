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
}

export const defaultServingTlsOptions: Required<ServingTlsOptions> = {
  caValidityMs: 5 * 365 * day,
  servingValidityMs: 365 * day,
  caCommonName: 'image-registry-operator serving CA',
};

/** What the CA Secret and the serving Secret hold today (either may be missing or broken). */
export interface CurrentTls {
  ca?: { cert?: string; key?: string; bundle?: string } | undefined;
  serving?: { cert?: string; key?: string } | undefined;
}

export interface ServingTls {
  ca: Pem;
  /** The CAs clients must trust: the current one first, then a replaced one until it expires. */
  bundle: string;
  serving: Pem;
  caIssued: boolean;
  servingIssued: boolean;
  /** When something next needs doing (a renewal, or dropping an expired CA from the bundle). */
  nextCheck: Date;
}

async function usableCA(ca: CurrentTls['ca'], now: Date): Promise<Pem | undefined> {
  if (!ca?.cert || !ca.key) return undefined;
  const info = inspectCertificate(ca.cert);
  if (!info?.isCA || isDueForRenewal(info, now)) return undefined;
  return (await keyMatchesCertificate(ca.cert, ca.key)) ? { cert: ca.cert, key: ca.key } : undefined;
}

async function usableServing(serving: CurrentTls['serving'], ca: Pem, hostnames: readonly string[], now: Date): Promise<Pem | undefined> {
  if (!serving?.cert || !serving.key) return undefined;
  const info = inspectCertificate(serving.cert);
  if (!info || isDueForRenewal(info, now)) return undefined;
  const names = [...info.dnsNames].sort();
  const wanted = [...hostnames].sort();
  if (names.length !== wanted.length || names.some((n, i) => n !== wanted[i])) return undefined;
  if (!(await isSignedBy(serving.cert, ca.cert))) return undefined;
  return (await keyMatchesCertificate(serving.cert, serving.key)) ? { cert: serving.cert, key: serving.key } : undefined;
}

function normalizePem(pem: string): string {
  return pem.trim();
}

/**
 * The serving TLS this app should publish where OpenShift's service-ca does not exist: keeps what is
 * valid, re-issues what is missing, broken, for other names, signed by another CA, or 80% through
 * its lifetime. A replaced CA stays in the bundle until it expires, so clients that trusted it keep
 * working while the new one is distributed.
 */
export async function planServingTls(
  current: CurrentTls,
  hostnames: readonly string[],
  now: Date,
  options: ServingTlsOptions = {},
): Promise<ServingTls> {
  const opts = { ...defaultServingTlsOptions, ...options };
  let ca = await usableCA(current.ca, now);
  const caIssued = ca === undefined;
  ca ??= await issueCA(opts.caCommonName, now, opts.caValidityMs);

  const previous = [...splitPemBundle(current.ca?.bundle ?? ''), ...(caIssued && current.ca?.cert ? splitPemBundle(current.ca.cert) : [])];
  const kept = [normalizePem(ca.cert)];
  for (const pem of previous.map(normalizePem)) {
    const info = inspectCertificate(pem);
    if (info?.isCA && info.notAfter.getTime() > now.getTime() && !kept.includes(pem)) kept.push(pem);
  }

  let serving = await usableServing(current.serving, ca, hostnames, now);
  const servingIssued = serving === undefined;
  serving ??= await issueServing(ca, hostnames, now, opts.servingValidityMs);

  const moments: number[] = [];
  for (const pem of [ca.cert, serving.cert]) {
    const info = inspectCertificate(pem);
    if (info) moments.push(renewalTime(info).getTime());
  }
  for (const pem of kept.slice(1)) {
    const info = inspectCertificate(pem);
    if (info) moments.push(info.notAfter.getTime());
  }
  return {
    ca,
    bundle: `${kept.join('\n')}\n`,
    serving,
    caIssued,
    servingIssued,
    nextCheck: new Date(Math.min(...moments)),
  };
}
