import { describe, expect, it } from 'vitest';
import { canonicalJson, sameJson } from './canonical-json.ts';
import {
  detectPlatform,
  platformDefaultStorage,
  platformDefaults,
  platformFromProviderIDs,
} from './platform.ts';
import { configuredStorageBackends, multipleBackendsMessage } from './storage-backends.ts';

describe('platform detection', () => {
  it('takes the platform from Infrastructure when it exists', () => {
    expect(detectPlatform({ status: { platformStatus: { type: 'AWS' } } }, ['gce://p/z/n'])).toBe('AWS');
    expect(detectPlatform({ status: { platform: 'GCP' } }, [])).toBe('GCP');
  });

  it('falls back to the first known node providerID scheme, then None', () => {
    expect(detectPlatform(undefined, ['', undefined, 'gce://project/zone/node'])).toBe('GCP');
    expect(platformFromProviderIDs(['aws:///us-east-1a/i-0abc'])).toBe('AWS');
    expect(platformFromProviderIDs(['kwok://kwok-node-0'])).toBe('None');
    expect(platformFromProviderIDs([])).toBe('None');
  });
});

describe('platform defaults', () => {
  it.each([
    ['AWS', { s3: {} }, 2, 'RollingUpdate'],
    ['Azure', { azure: {} }, 2, 'RollingUpdate'],
    ['GCP', { gcs: {} }, 2, 'RollingUpdate'],
    ['IBMCloud', { ibmcos: {} }, 2, 'RollingUpdate'],
    ['PowerVS', { ibmcos: {} }, 2, 'RollingUpdate'],
    ['OpenStack', { pvc: { claim: 'image-registry-storage' } }, 1, 'Recreate'],
    ['oVirt', { pvc: { claim: 'image-registry-storage' } }, 1, 'Recreate'],
    ['Libvirt', { emptyDir: {} }, 1, 'RollingUpdate'],
    ['SomethingNew', { emptyDir: {} }, 1, 'RollingUpdate'],
    ['None', {}, 1, 'RollingUpdate'],
    ['External', {}, 1, 'RollingUpdate'],
  ])('on %s: storage %j, %i replicas, %s', (platform, storage, replicas, rolloutStrategy) => {
    expect(platformDefaults(platform)).toEqual({ storage, replicas, rolloutStrategy });
  });

  it('has no default storage where the registry is bootstrapped Removed', () => {
    expect(platformDefaultStorage('BareMetal')).toBeUndefined();
    expect(platformDefaultStorage('AWS')).toEqual({ s3: {} });
  });

  it('hands out copies, so a caller completing one never changes the table', () => {
    const d = platformDefaults('OpenStack');
    (d.storage.pvc as { claim?: string }).claim = 'mine';
    expect(platformDefaults('OpenStack').storage).toEqual({ pvc: { claim: 'image-registry-storage' } });
  });
});

describe('storage backends', () => {
  it('lists the set backends in upstream order and names them as upstream does', () => {
    const set = configuredStorageBackends({ azure: {}, s3: {}, gcs: null });
    expect(set).toEqual(['s3', 'azure']);
    expect(multipleBackendsMessage(set)).toBe(
      'exactly one storage type should be configured at the same time, got 2: [S3 Azure]',
    );
  });
});

describe('canonical JSON', () => {
  it('ignores key order and undefined members, not array order', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [2, 1] } })).toBe('{"a":{"c":[2,1]},"b":1}');
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
  });
});
