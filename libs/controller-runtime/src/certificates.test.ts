import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { createPki } from '@image-registry/testing';
import { describe, expect, it } from 'vitest';
import { inspectCertificate, isSignedBy, issueCertificate, keyMatchesCertificate } from './certificates.ts';
import type { KeyPair } from './certificates.ts';

const validity = { notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z') };
const fresh = () => ({ notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 3600_000) });

/** A TLS handshake that OpenSSL verifies against `ca` for `servername`; resolves with the server's reply. */
async function handshake(serving: KeyPair, ca: string, servername: string): Promise<string> {
  const server = createServer({ cert: serving.cert, key: serving.key }, (s) => s.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<string>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port, servername, ca, rejectUnauthorized: true });
      let data = '';
      s.on('data', (d: Buffer) => (data += d.toString()));
      s.on('end', () => resolve(data));
      s.on('error', reject);
    });
  } finally {
    server.close();
  }
}

describe('a self-signed serving certificate', () => {
  const pair = issueCertificate({ commonName: 'image-registry-status-metrics', dnsNames: ['localhost', 'pod-a', 'localhost'], ipAddresses: ['127.0.0.1'], ...validity });
  const cert = new X509Certificate(pair.cert);

  it('is a certificate OpenSSL parses, signed by its own key', () => {
    expect(cert.subject).toBe('CN=image-registry-status-metrics');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(pair.key))).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });
  });

  it('names each host once, serves TLS only and is no CA', () => {
    expect(cert.subjectAltName).toBe('DNS:localhost, DNS:pod-a, IP Address:127.0.0.1');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.ca).toBe(false);
    expect(cert.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
  });

  it('keeps its validity to the second, in UTCTime and after 2049 in GeneralizedTime', () => {
    expect(cert.validFromDate.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(cert.validToDate.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    const late = issueCertificate({ commonName: 'x', dnsNames: ['localhost'], notBefore: validity.notBefore, notAfter: new Date('2051-06-01T12:00:00Z') });
    expect(inspectCertificate(late.cert)?.notAfter.toISOString()).toBe('2051-06-01T12:00:00.000Z');
  });

  it('completes a verified TLS handshake for its host name', async () => {
    const now = issueCertificate({ commonName: 'x', dnsNames: ['localhost'], ...fresh() });
    await expect(handshake(now, now.cert, 'localhost')).resolves.toBe('ok');
  });

  it('refuses a name the certificate cannot carry', () => {
    expect(() => issueCertificate({ commonName: 'x', dnsNames: ['bad name'], ...validity })).toThrow(/not printable ASCII/);
    expect(() => issueCertificate({ commonName: 'x', ipAddresses: ['::1'], ...validity })).toThrow(/not an IPv4 address/);
  });
});

describe('a CA and the serving certificates it signs', () => {
  const ca = issueCertificate({ commonName: 'image-registry-operator', ca: true, ...fresh() });
  const names = ['image-registry.openshift-image-registry.svc', 'image-registry.openshift-image-registry.svc.cluster.local'];
  const serving = issueCertificate({ commonName: names[0] ?? '', dnsNames: names, issuer: ca, ...fresh() });

  it('a CA that signs certificates, and a leaf it signed', () => {
    expect(inspectCertificate(ca.cert)).toMatchObject({ isCA: true, subject: 'CN=image-registry-operator', dnsNames: [] });
    expect(inspectCertificate(serving.cert)).toMatchObject({ isCA: false, issuer: 'CN=image-registry-operator', dnsNames: names });
    expect(isSignedBy(serving.cert, ca.cert)).toBe(true);
    expect(isSignedBy(serving.cert, serving.cert)).toBe(false);
    expect(keyMatchesCertificate(serving.cert, serving.key)).toBe(true);
    expect(keyMatchesCertificate(serving.cert, ca.key)).toBe(false);
    expect(new X509Certificate(serving.cert).checkIssued(new X509Certificate(ca.cert))).toBe(true);
  });

  it('clients that trust the CA verify the chain for each name, and no other', async () => {
    for (const n of names) await expect(handshake(serving, ca.cert, n)).resolves.toBe('ok');
    await expect(handshake(serving, ca.cert, 'elsewhere.example')).rejects.toThrow(/altnames/);
    const other = issueCertificate({ commonName: 'other', ca: true, ...fresh() });
    await expect(handshake(serving, other.cert, names[0] ?? '')).rejects.toThrow(/certificate/);
  });

  it('a CA the earlier X.509 library issued signs on (existing clusters keep their CA)', async () => {
    const earlier = (await createPki()).ca;
    const leaf = issueCertificate({ commonName: 'localhost', dnsNames: ['localhost'], issuer: earlier, ...fresh() });
    expect(isSignedBy(leaf.cert, earlier.cert)).toBe(true);
    await expect(handshake(leaf, earlier.cert, 'localhost')).resolves.toBe('ok');
    expect(inspectCertificate((await createPki()).serving.cert)?.dnsNames).toContain('kubernetes.default.svc');
  });

  it('refuses an issuer key that is not the CA kind it writes, and input that is no certificate', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => issueCertificate({ commonName: 'x', issuer: { cert: ca.cert, key: rsa }, ...fresh() })).toThrow(/not an ECDSA P-256 key/);
    expect(inspectCertificate('not a certificate')).toBeUndefined();
    expect(isSignedBy('garbage', ca.cert)).toBe(false);
  });
});
