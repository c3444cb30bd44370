import { webcrypto } from 'node:crypto';
import 'reflect-metadata'; // @peculiar/x509's dependency injection needs it loaded first
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface Pem {
  cert: string;
  key: string;
}

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

/** What rotation decisions read from a certificate. */
export interface CertificateInfo extends Validity {
  subject: string;
  issuer: string;
  dnsNames: string[];
  isCA: boolean;
}

export class CertificateError extends Error {
  override name = 'CertificateError';
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privatePem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function importPrivate(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return webcrypto.subtle.importKey('pkcs8', der, alg, true, ['sign']);
}

function serial(): string {
  // Positive 128-bit serial: a leading nibble below 8 keeps the DER integer non-negative.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  return `1${Buffer.from(bytes).toString('hex').slice(1)}`;
}

// Certificates start a minute early: clocks of the cluster's clients are rarely exact.
const skewMs = 60_000;

/** A self-signed ECDSA P-256 CA that can sign serving certificates and nothing below them. */
export async function issueCA(commonName: string, now: Date, validityMs: number): Promise<Pem> {
  const keys = await keyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now.getTime() - skewMs),
    notAfter: new Date(now.getTime() + validityMs),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await privatePem(keys.privateKey) };
}

/** A serving certificate for `dnsNames`, signed by `ca`, never outliving it. */
export async function issueServing(ca: Pem, dnsNames: readonly string[], now: Date, validityMs: number): Promise<Pem> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await importPrivate(ca.key);
  const keys = await keyPair();
  const notAfter = new Date(Math.min(now.getTime() + validityMs, caCert.notAfter.getTime()));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${dnsNames[0] ?? 'image-registry'}`,
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - skewMs),
    notAfter,
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: 'dns' as const, value }))),
    ],
  });
  return { cert: cert.toString('pem'), key: await privatePem(keys.privateKey) };
}

/** Facts about the first certificate in `pem`, or undefined when it does not parse. */
export function inspectCertificate(pem: string): CertificateInfo | undefined {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(pem);
  } catch {
    return undefined;
  }
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const dnsNames = (san?.names.toJSON() ?? []).filter((n) => n.type === 'dns').map((n) => n.value);
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    dnsNames,
    isCA: bc?.ca ?? false,
  };
}

/** Every certificate in a PEM bundle, in order. */
export function splitPemBundle(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

/** True when `certPem` carries a valid signature of `caPem`'s key. */
export async function isSignedBy(certPem: string, caPem: string): Promise<boolean> {
  try {
    const cert = new x509.X509Certificate(certPem);
    const ca = new x509.X509Certificate(caPem);
    return await cert.verify({ publicKey: ca.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

/** True when `keyPem` is the private key of `certPem` (a torn write could pair them wrongly). */
export async function keyMatchesCertificate(certPem: string, keyPem: string): Promise<boolean> {
  try {
    const cert = new x509.X509Certificate(certPem);
    const key = await importPrivate(keyPem);
    const probe = new TextEncoder().encode('image-registry-operator key check');
    const signature = await webcrypto.subtle.sign(alg, key, probe);
    const pub = await cert.publicKey.export(alg, ['verify']);
    return await webcrypto.subtle.verify(alg, pub, signature, probe);
  } catch {
    return false;
  }
}
