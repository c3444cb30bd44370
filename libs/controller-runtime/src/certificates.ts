import { X509Certificate, createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { isIPv4 } from 'node:net';
import * as der from './der.ts';

/**
 * ECDSA P-256 certificates, DER-encoded by hand and signed with node:crypto, for the two shapes the apps
 * issue: a CA that signs serving certificates only, and a TLS server certificate. An X.509 library did
 * the same in ~700 KB of code and ~7 MiB of each app's idle memory (issue #19). Reading uses node:crypto's
 * X509Certificate (OpenSSL) except for the SAN DNS names, which are read from the DER itself.
 */

export interface KeyPair {
  cert: string;
  key: string;
}

export interface CertificateSpec {
  commonName: string;
  notBefore: Date;
  notAfter: Date;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  /** A CA that signs end-entity certificates only (path length 0); otherwise a TLS server certificate. */
  ca?: boolean;
  /** The CA that signs it (its certificate and key); absent: self-signed. */
  issuer?: KeyPair;
}

const ecdsaWithSha256 = () => der.seq(der.oid('1.2.840.10045.4.3.2'));
const name = (commonName: string) => der.seq(der.set(der.seq(der.oid('2.5.4.3'), der.tlv(0x0c, Buffer.from(commonName, 'utf8')))));

export function issueCertificate(spec: CertificateSpec): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const subject = name(spec.commonName);
  const signer = spec.issuer ? issuerOf(spec.issuer) : { name: subject, key: privateKey, keyId: keyIdentifier(spki) };
  const sans = [
    ...[...new Set(spec.dnsNames ?? [])].map((d) => der.tlv(0x82, ia5(d))),
    ...[...new Set(spec.ipAddresses ?? [])].map((ip) => der.tlv(0x87, ipv4(ip))),
  ];
  const extensions = spec.ca
    ? [
        extension('2.5.29.19', der.seq(der.boolean(true), der.integer(0)), true), // CA, path length 0
        extension('2.5.29.15', der.bitString(Buffer.from([0x06]), 1), true), // keyCertSign, cRLSign
        extension('2.5.29.14', der.octetString(keyIdentifier(spki))),
      ]
    : [
        extension('2.5.29.19', der.seq(), true), // not a CA
        extension('2.5.29.15', der.bitString(Buffer.from([0x80]), 7), true), // digitalSignature
        extension('2.5.29.37', der.seq(der.oid('1.3.6.1.5.5.7.3.1'))), // serverAuth
        ...(spec.issuer ? [extension('2.5.29.35', der.seq(der.tlv(0x80, signer.keyId)))] : []),
      ];
  if (sans.length > 0) extensions.push(extension('2.5.29.17', der.seq(...sans)));
  const tbs = der.seq(
    der.tlv(0xa0, der.integer(2)), // v3
    der.integer(serial()),
    ecdsaWithSha256(),
    signer.name,
    der.seq(der.time(spec.notBefore), der.time(spec.notAfter)),
    subject,
    spki,
    der.tlv(0xa3, der.seq(...extensions)),
  );
  // node:crypto's ECDSA signature is DER (r, s) already, as X.509 wants it.
  const cert = der.seq(tbs, ecdsaWithSha256(), der.bitString(sign('sha256', tbs, signer.key)));
  return { cert: der.pem('CERTIFICATE', cert), key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** What rotation decisions read from a certificate. */
export interface CertificateFacts {
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  dnsNames: string[];
  isCA: boolean;
}

/** Facts about the first certificate in `pem`, or undefined when it does not parse. */
export function inspectCertificate(pem: string): CertificateFacts | undefined {
  try {
    const cert = new X509Certificate(pem);
    return {
      subject: cert.subject,
      issuer: cert.issuer,
      notBefore: cert.validFromDate,
      notAfter: cert.validToDate,
      dnsNames: sanDnsNames(cert.raw),
      isCA: cert.ca,
    };
  } catch {
    return undefined;
  }
}

/** True when `certPem` carries a valid signature of `caPem`'s key. */
export function isSignedBy(certPem: string, caPem: string): boolean {
  try {
    return new X509Certificate(certPem).verify(new X509Certificate(caPem).publicKey);
  } catch {
    return false;
  }
}

/** True when `keyPem` is the private key of `certPem` (a torn write could pair them wrongly). */
export function keyMatchesCertificate(certPem: string, keyPem: string): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

function issuerOf(issuer: KeyPair): { name: Buffer; key: KeyObject; keyId: Buffer } {
  const cert = new X509Certificate(issuer.cert);
  const key = createPrivateKey(issuer.key);
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new Error('the issuing CA key is not an ECDSA P-256 key; delete the CA Secret to have a new CA issued');
  // The issuer field must repeat the CA's subject byte for byte: Go's verifier matches raw names.
  const subject = tbsFields(cert.raw)[5];
  if (!subject) throw new Error('the issuing CA certificate has no subject');
  return { name: subject.raw, key, keyId: keyIdentifier(cert.publicKey.export({ type: 'spki', format: 'der' })) };
}

/** TBSCertificate's fields, with an absent version counted, so [5] is always the subject. */
function tbsFields(raw: Buffer): der.Node[] {
  const [tbs] = der.children(der.only(raw).value);
  const fields = der.children(tbs?.value ?? Buffer.alloc(0));
  return fields[0]?.tag === 0xa0 ? fields : [{ tag: 0xa0, raw: Buffer.alloc(0), value: Buffer.alloc(0) }, ...fields];
}

function sanDnsNames(raw: Buffer): string[] {
  const extensions = tbsFields(raw).find((f) => f.tag === 0xa3);
  if (!extensions) return [];
  const sanOid = der.oid('2.5.29.17');
  for (const ext of der.children(der.only(extensions.value).value)) {
    const [id, ...rest] = der.children(ext.value);
    if (!id?.raw.equals(sanOid)) continue;
    const value = rest.at(-1)?.value ?? Buffer.alloc(0);
    return der.children(der.only(value).value).filter((n) => n.tag === 0x82).map((n) => n.value.toString('ascii'));
  }
  return [];
}

/** RFC 5280's method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(spki: Buffer): Buffer {
  const [, bits] = der.children(der.only(spki).value);
  return createHash('sha1').update((bits?.value ?? Buffer.alloc(1)).subarray(1)).digest();
}

function extension(id: string, value: Buffer, critical = false): Buffer {
  return der.seq(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

/** 128 random bits, positive. */
function serial(): Buffer {
  const b = randomBytes(16);
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x40;
  return b;
}

function ia5(s: string): Buffer {
  if (!/^[\x21-\x7e]+$/.test(s)) throw new Error(`certificate: DNS name ${JSON.stringify(s)} is not printable ASCII`);
  return Buffer.from(s, 'ascii');
}

function ipv4(ip: string): Buffer {
  if (!isIPv4(ip)) throw new Error(`certificate: ${ip} is not an IPv4 address`);
  return Buffer.from(ip.split('.').map(Number));
}
