import { webcrypto } from 'node:crypto';
import 'reflect-metadata'; // @peculiar/x509's DI container needs it loaded first
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const day = 24 * 60 * 60 * 1000;

export interface Pem {
  cert: string;
  key: string;
}

export interface ControlPlanePki {
  ca: Pem;
  /** kube-apiserver serving certificate: 127.0.0.1, localhost and the in-cluster names. */
  serving: Pem;
  /** Client certificate for `admin` in `system:masters` (bypasses RBAC). */
  admin: Pem;
  /** Service-account token signing key pair (PKCS#8 private, SPKI public). */
  serviceAccount: { key: string; pub: string };
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privatePem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

function serial(): string {
  return webcrypto.getRandomValues(new Uint8Array(8)).reduce((s, b) => s + b.toString(16).padStart(2, '0'), '7');
}

async function leaf(
  ca: { cert: x509.X509Certificate; keys: CryptoKeyPair },
  subject: string,
  usage: x509.ExtendedKeyUsage,
  sans: x509.JsonGeneralName[] = [],
): Promise<Pem> {
  const keys = await keyPair();
  const now = Date.now();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([usage]),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
  ];
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: ca.cert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 30 * day),
    signingKey: ca.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: alg,
    extensions,
  });
  return { cert: cert.toString('pem'), key: await privatePem(keys.privateKey) };
}

/** A throw-away PKI for one control plane: ECDSA P-256, valid for 30 days. */
export async function createPki(): Promise<ControlPlanePki> {
  const keys = await keyPair();
  const now = Date.now();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=image-registry-operator test CA',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 30 * day),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const ca = { cert: caCert, keys };
  const names = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
  const serving = await leaf(ca, 'CN=kube-apiserver', x509.ExtendedKeyUsage.serverAuth, [
    { type: 'ip', value: '127.0.0.1' },
    { type: 'ip', value: '10.96.0.1' },
    ...names.map((value) => ({ type: 'dns' as const, value })),
  ]);
  const admin = await leaf(ca, 'CN=admin, O=system:masters', x509.ExtendedKeyUsage.clientAuth);
  const sa = await keyPair();
  return {
    ca: { cert: caCert.toString('pem'), key: await privatePem(keys.privateKey) },
    serving,
    admin,
    serviceAccount: {
      key: await privatePem(sa.privateKey),
      pub: x509.PemConverter.encode(await webcrypto.subtle.exportKey('spki', sa.publicKey), 'PUBLIC KEY'),
    },
  };
}
