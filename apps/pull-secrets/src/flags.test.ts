import { describe, expect, it } from 'vitest';
import { parseDuration, parseSettings } from './flags.ts';

const defaults = {
  'ignored-namespaces': '',
  'ignore-system-namespaces': false,
  'additional-registry-hosts': '',
  'management-state': 'Managed',
  concurrency: '16',
  'kube-api-qps': '500',
  'kube-api-burst': '1000',
  'resync-period': '10m',
  'removal-min-secret-age': '10m',
};

describe('parseSettings', () => {
  it('splits lists and converts numbers and durations', () => {
    expect(parseSettings({ ...defaults, 'ignored-namespaces': 'a, b,,', 'additional-registry-hosts': 'reg.example:5000' })).toEqual({
      ignoredNamespaces: ['a', 'b'],
      ignoreSystemNamespaces: false,
      additionalRegistryHosts: ['reg.example:5000'],
      managementState: 'Managed',
      concurrency: 16,
      qps: 500,
      burst: 1000,
      resyncPeriodMs: 600_000,
      removalMinAgeMs: 600_000,
    });
  });
  it('names the flag and what it accepts', () => {
    expect(() => parseSettings({ ...defaults, 'management-state': 'Off' })).toThrow('--management-state must be Managed or Removed, not "Off"');
    expect(() => parseSettings({ ...defaults, concurrency: '0' })).toThrow('--concurrency must be an integer ≥ 1');
    expect(() => parseSettings({ ...defaults, 'additional-registry-hosts': 'a/b' })).toThrow('--additional-registry-hosts: "a/b" is not a hostname[:port]');
    expect(() => parseSettings({ ...defaults, 'resync-period': '10 minutes' })).toThrow('--resync-period must be a duration');
  });
});

describe('parseDuration', () => {
  it('reads Go durations', () => {
    expect(parseDuration('f', '1h30m')).toBe(5_400_000);
    expect(parseDuration('f', '1.5s')).toBe(1500);
    expect(parseDuration('f', '250ms')).toBe(250);
    expect(parseDuration('f', '0')).toBe(0);
  });
});
