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
    const tls = planServingTls({}, names, t0, opts);
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
    const first = planServingTls({}, names, t0, opts);
    const again = planServingTls({ ca: { ...first.ca, bundle: first.bundle }, serving: first.serving }, names, at(5), opts);
    expect(again.caIssued || again.servingIssued).toBe(false);
    expect(again.serving).toEqual(first.serving);
    expect(again.bundle).toBe(first.bundle);
  });

  it('renews the serving certificate at 80% of its lifetime and says when', async () => {
    const first = planServingTls({}, names, t0, opts);
    expect(first.nextCheck.getTime()).toBeCloseTo(t0.getTime() - 60_000 + 0.8 * (10 * day + 60_000), -3);
    const renewed = planServingTls({ ca: { ...first.ca, bundle: first.bundle }, serving: first.serving }, names, at(8.1), opts);
    expect(renewed.servingIssued).toBe(true);
    expect(renewed.caIssued).toBe(false);
    expect(isSignedBy(renewed.serving.cert, first.ca.cert)).toBe(true);
  });

  it('re-issues when the names change or the key does not match', async () => {
    const first = planServingTls({}, names, t0, opts);
    const other = planServingTls({ ca: first.ca, serving: first.serving }, ['image-registry.other.svc'], at(1), opts);
    expect(other.servingIssued).toBe(true);
    const second = planServingTls({}, names, t0, opts);
    const torn = planServingTls({ ca: first.ca, serving: { cert: first.serving.cert, key: second.serving.key } }, names, at(1), opts);
    expect(torn.servingIssued).toBe(true);
  });

  it('stages a CA rotation: the successor joins the bundle first, signs only after the propagation delay (injected clock)', async () => {
    const hour = 3_600_000;
    const first = planServingTls({}, names, t0, opts);
    // 80% into the CA's life: a successor is issued and published, the old CA still signs.
    const staged = planServingTls({ ca: { ...first.ca, bundle: first.bundle }, serving: first.serving }, names, at(81), opts);
    expect(staged.nextIssued).toBe(true);
    expect(staged.caIssued).toBe(false);
    expect(staged.ca).toEqual(first.ca);
    // (the 10-day serving certificate from day 0 is re-issued, by the old CA)
    expect(isSignedBy(staged.serving.cert, first.ca.cert)).toBe(true);
    const next = staged.next;
    if (!next) throw new Error('no successor CA');
    expect(splitPemBundle(staged.bundle)).toEqual([first.ca.cert.trim(), next.cert.trim()]);
    const switchAt = staged.nextCheck.getTime();
    expect(switchAt).toBeGreaterThan(at(81).getTime() + hour - 2 * 60_000);
    // Before the delay has passed, nothing changes (and nothing is issued again).
    const waiting = planServingTls({ ca: { ...first.ca, bundle: staged.bundle, next }, serving: staged.serving }, names, new Date(switchAt - 1000), opts);
    expect(waiting.nextIssued || waiting.caIssued || waiting.servingIssued).toBe(false);
    expect(waiting.next).toEqual(next);
    // Then the successor signs, the serving certificate is re-issued by it, the old CA stays trusted.
    const switched = planServingTls({ ca: { ...first.ca, bundle: staged.bundle, next }, serving: staged.serving }, names, new Date(switchAt), opts);
    expect(switched.caIssued && switched.servingIssued).toBe(true);
    expect(switched.ca).toEqual(next);
    expect(switched.next).toBeUndefined();
    expect(isSignedBy(switched.serving.cert, next.cert)).toBe(true);
    expect(splitPemBundle(switched.bundle)).toEqual([next.cert.trim(), first.ca.cert.trim()]);
    expect(switched.nextCheck.getTime()).toBeLessThanOrEqual(new X509Certificate(first.ca.cert).validToDate.getTime());
    // Once the old CA expires it leaves the bundle.
    const later = planServingTls({ ca: { ...switched.ca, bundle: switched.bundle }, serving: switched.serving }, names, at(101), opts);
    expect(splitPemBundle(later.bundle)).toEqual([next.cert.trim()]);
  });

  it('replaces an expired or broken CA at once: there is nothing to keep serving with', async () => {
    const first = planServingTls({}, names, t0, opts);
    const expired = planServingTls({ ca: { ...first.ca, bundle: first.bundle }, serving: first.serving }, names, at(100.5), opts);
    expect(expired.caIssued && expired.servingIssued).toBe(true);
    expect(expired.next).toBeUndefined();
  });

  it('replaces garbage in the secrets', async () => {
    const tls = planServingTls({ ca: { cert: 'nope', key: 'nope' }, serving: { cert: 'x', key: 'y' } }, names, t0, opts);
    expect(tls.caIssued && tls.servingIssued).toBe(true);
  });
});
