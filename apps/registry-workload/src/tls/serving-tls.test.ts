import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSignedBy, splitPemBundle } from './pki.ts';
import { planServingTls } from './serving-tls.ts';

const day = 86_400_000;
const names = ['image-registry.ns.svc', 'image-registry.ns.svc.cluster.local'];
const opts = { caValidityMs: 100 * day, servingValidityMs: 10 * day };
const t0 = new Date('2025-01-01T00:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * day);

describe('planServingTls', () => {
  it('issues a CA and a serving certificate for the Service names, verifiable by Node', async () => {
    const tls = await planServingTls({}, names, t0, opts);
    expect(tls.caIssued && tls.servingIssued).toBe(true);
    const cert = new X509Certificate(tls.serving.cert);
    const ca = new X509Certificate(tls.ca.cert);
    expect(cert.subjectAltName).toBe('DNS:image-registry.ns.svc, DNS:image-registry.ns.svc.cluster.local');
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(ca.ca).toBe(true);
    expect(cert.checkHost('image-registry.ns.svc')).toBe('image-registry.ns.svc');
    expect(splitPemBundle(tls.bundle)).toHaveLength(1);
  });

  it('keeps valid certificates as they are', async () => {
    const first = await planServingTls({}, names, t0, opts);
    const again = await planServingTls({ ca: { ...first.ca, bundle: first.bundle }, serving: first.serving }, names, at(5), opts);
    expect(again.caIssued || again.servingIssued).toBe(false);
    expect(again.serving).toEqual(first.serving);
    expect(again.bundle).toBe(first.bundle);
  });

  it('renews the serving certificate at 80% of its lifetime and says when', async () => {
    const first = await planServingTls({}, names, t0, opts);
    expect(first.nextCheck.getTime()).toBeCloseTo(t0.getTime() - 60_000 + 0.8 * (10 * day + 60_000), -3);
    const renewed = await planServingTls({ ca: { ...first.ca, bundle: first.bundle }, serving: first.serving }, names, at(8.1), opts);
    expect(renewed.servingIssued).toBe(true);
    expect(renewed.caIssued).toBe(false);
    expect(await isSignedBy(renewed.serving.cert, first.ca.cert)).toBe(true);
  });

  it('re-issues when the names change or the key does not match', async () => {
    const first = await planServingTls({}, names, t0, opts);
    const other = await planServingTls({ ca: first.ca, serving: first.serving }, ['image-registry.other.svc'], at(1), opts);
    expect(other.servingIssued).toBe(true);
    const second = await planServingTls({}, names, t0, opts);
    const torn = await planServingTls({ ca: first.ca, serving: { cert: first.serving.cert, key: second.serving.key } }, names, at(1), opts);
    expect(torn.servingIssued).toBe(true);
  });

  it('rotates the CA at 80%, keeps the old one in the bundle until it expires, and re-signs the serving certificate', async () => {
    const first = await planServingTls({}, names, t0, opts);
    const rotated = await planServingTls({ ca: { ...first.ca, bundle: first.bundle }, serving: first.serving }, names, at(81), opts);
    expect(rotated.caIssued && rotated.servingIssued).toBe(true);
    expect(splitPemBundle(rotated.bundle)).toEqual([rotated.ca.cert.trim(), first.ca.cert.trim()]);
    expect(await isSignedBy(rotated.serving.cert, rotated.ca.cert)).toBe(true);
    expect(rotated.nextCheck.getTime()).toBeLessThanOrEqual(new X509Certificate(first.ca.cert).validToDate.getTime());
    const later = await planServingTls({ ca: { ...rotated.ca, bundle: rotated.bundle }, serving: rotated.serving }, names, at(101), opts);
    expect(splitPemBundle(later.bundle)).toEqual([rotated.ca.cert.trim()]);
  });

  it('replaces garbage in the secrets', async () => {
    const tls = await planServingTls({ ca: { cert: 'nope', key: 'nope' }, serving: { cert: 'x', key: 'y' } }, names, t0, opts);
    expect(tls.caIssued && tls.servingIssued).toBe(true);
  });
});
