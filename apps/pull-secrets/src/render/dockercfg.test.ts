import { describe, expect, it } from 'vitest';
import { fakeToken } from '../testing/tokens.ts';
import { hostsDigest, refreshReason, renderDockercfg, summarizeDockercfg } from './dockercfg.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const hosts = ['a:5000', 'b:5000'];
const token = fakeToken({ kid: 'k1', nbf: 1000, exp: 4600 });

describe('renderDockercfg', () => {
  it('writes one auth-only entry per host with the <token> user name', () => {
    const cfg = JSON.parse(renderDockercfg(hosts, token)) as Record<string, { auth: string }>;
    expect(Object.keys(cfg)).toEqual(hosts);
    expect(cfg['a:5000']).toEqual({ auth: b64(`<token>:${token}`) });
  });
});

describe('summarizeDockercfg', () => {
  it('keeps the host digest, key IDs, refresh time at 60 % and the binding, not the token', () => {
    const s = summarizeDockercfg(b64(renderDockercfg(hosts, token)));
    expect(s).toEqual({
      hosts: hostsDigest(hosts),
      kids: ['k1'],
      refreshAtMs: (4600 - 0.4 * 3600) * 1000,
      boundSecretUid: 'secret-uid',
      serviceAccountUid: 'sa-uid',
    });
    expect(JSON.stringify(s)).not.toContain(token.slice(0, 20));
  });
  it('treats a missing, empty or unreadable file as needing a token', () => {
    for (const data of [undefined, b64('{}'), b64('not json'), b64('[]'), b64('{"a":{"auth":"eA=="}}'), b64(JSON.stringify({ a: { auth: b64('user:pw') } }))]) {
      expect(summarizeDockercfg(data).hosts).toBe('');
    }
  });
  it('rejects a token without kid or expiry', () => {
    expect(summarizeDockercfg(b64(renderDockercfg(hosts, fakeToken({ nbf: 1, exp: 2 })))).hosts).toBe('');
    expect(summarizeDockercfg(b64(renderDockercfg(hosts, fakeToken({ kid: 'k', nbf: 1 })))).hosts).toBe('');
  });
});

describe('refreshReason', () => {
  const s = summarizeDockercfg(b64(renderDockercfg(hosts, token)));
  const want = { hostsDigest: hostsDigest(hosts), keyIds: ['k1', 'k2'], secretUid: 'secret-uid', serviceAccountUid: 'sa-uid', nowMs: 1_000_000 };
  it('is valid until 60 % of the lifetime', () => {
    expect(refreshReason(s, want)).toBeUndefined();
    expect(refreshReason(s, { ...want, nowMs: 3_160_000 - 1 })).toBeUndefined();
    expect(refreshReason(s, { ...want, nowMs: 3_160_000 })).toBe('expiring');
  });
  it('refreshes on a host, key or binding change', () => {
    expect(refreshReason(s, { ...want, hostsDigest: hostsDigest(['a:5000']) })).toBe('hosts');
    expect(refreshReason(s, { ...want, keyIds: ['k2'] })).toBe('keys');
    expect(refreshReason(s, { ...want, secretUid: 'other' })).toBe('binding');
    expect(refreshReason(s, { ...want, serviceAccountUid: 'other' })).toBe('binding');
  });
});
