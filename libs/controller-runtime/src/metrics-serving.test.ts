import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refusal } from './metrics-auth.ts';
import { isLoopback, metricsAuthRequired } from './metrics-serving.ts';
import { readCertDir, selfSignedPair } from './metrics-tls.ts';
import { parseOptions, OptionsError } from './options.ts';

describe('who must authenticate to read /metrics', () => {
  it('auto asks for a token everywhere but loopback', () => {
    expect(metricsAuthRequired('auto', '0.0.0.0')).toBe(true);
    expect(metricsAuthRequired('auto', '10.1.2.3')).toBe(true);
    expect(metricsAuthRequired('auto', '::')).toBe(true);
    for (const host of ['127.0.0.1', '127.3.4.5', '::1', 'localhost']) expect(metricsAuthRequired('auto', host)).toBe(false);
  });

  it('kubernetes asks on loopback too, none never asks', () => {
    expect(metricsAuthRequired('kubernetes', '127.0.0.1')).toBe(true);
    expect(metricsAuthRequired('none', '0.0.0.0')).toBe(false);
    expect(isLoopback('128.0.0.1')).toBe(false);
  });

  it('the flag defaults to auto, reads IRO_METRICS_AUTH and refuses other values by name', () => {
    expect(parseOptions([], {}).metricsAuth).toBe('auto');
    expect(parseOptions([], { IRO_METRICS_AUTH: 'none' }).metricsAuth).toBe('none');
    expect(parseOptions(['--metrics-auth=kubernetes', '--metrics-cert-dir=/etc/x'], {})).toMatchObject({ metricsAuth: 'kubernetes', metricsCertDir: '/etc/x' });
    expect(() => parseOptions(['--metrics-auth=open'], {})).toThrow(OptionsError);
    expect(() => parseOptions(['--metrics-auth=open'], {})).toThrow(/--metrics-auth must be one of auto, kubernetes, none/);
  });

  it('refusals say what to fix', () => {
    expect(refusal('unauthenticated')).toMatchObject({ status: 401, body: expect.stringContaining('Authorization: Bearer') });
    expect(refusal('forbidden')).toMatchObject({ status: 403, body: expect.stringContaining('metrics-reader') });
    expect(refusal('unavailable').status).toBe(503);
  });
});

describe('the metrics serving certificate', () => {
  it('self-signed: a serving certificate for localhost whose key matches', async () => {
    const pair = await selfSignedPair('image-registry-test-metrics');
    const cert = new X509Certificate(pair.cert);
    expect(cert.subject).toBe('CN=image-registry-test-metrics');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkPrivateKey(createPrivateKey(pair.key))).toBe(true);
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now() + 300 * 24 * 3600_000);
  });

  it('a cert dir without both files is no pair', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metrics-tls-'));
    expect(readCertDir(dir)).toBeUndefined();
    writeFileSync(join(dir, 'tls.crt'), 'c');
    expect(readCertDir(dir)).toBeUndefined();
    writeFileSync(join(dir, 'tls.key'), 'k');
    expect(readCertDir(dir)).toEqual({ cert: 'c', key: 'k' });
  });
});
