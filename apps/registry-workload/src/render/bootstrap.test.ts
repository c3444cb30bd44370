import { describe, expect, it } from 'vitest';
import { platformDefaultStorage, platformsWithDefaults } from '@image-registry/api';
import { detectPlatform, platformDefaults, renderBootstrapConfig } from './bootstrap.ts';

describe('bootstrap', () => {
  it('takes the platform from Infrastructure when it exists', () => {
    expect(detectPlatform({ status: { platformStatus: { type: 'AWS' } } }, ['gce://p/z/n'])).toBe('AWS');
  });

  it('falls back to the node providerID scheme, then None', () => {
    expect(detectPlatform(undefined, ['', 'gce://project/zone/node'])).toBe('GCP');
    expect(detectPlatform(undefined, ['aws:///us-east-1a/i-0abc'])).toBe('AWS');
    expect(detectPlatform(undefined, ['kwok://kwok-node-0'])).toBe('None');
    expect(detectPlatform(undefined, [])).toBe('None');
  });

  it.each([
    ['AWS', { s3: {} }, 2, 'Managed', 'RollingUpdate'],
    ['Azure', { azure: {} }, 2, 'Managed', 'RollingUpdate'],
    ['GCP', { gcs: {} }, 2, 'Managed', 'RollingUpdate'],
    ['IBMCloud', { ibmcos: {} }, 2, 'Managed', 'RollingUpdate'],
    ['PowerVS', { ibmcos: {} }, 2, 'Managed', 'RollingUpdate'],
    ['OpenStack', { pvc: { claim: 'image-registry-storage' } }, 1, 'Managed', 'Recreate'],
    ['oVirt', { pvc: { claim: 'image-registry-storage' } }, 1, 'Managed', 'Recreate'],
    ['Libvirt', { emptyDir: {} }, 1, 'Managed', 'RollingUpdate'],
    ['SomethingNew', { emptyDir: {} }, 1, 'Managed', 'RollingUpdate'],
    ['None', {}, 1, 'Removed', 'RollingUpdate'],
    ['BareMetal', {}, 1, 'Removed', 'RollingUpdate'],
    ['VSphere', {}, 1, 'Removed', 'RollingUpdate'],
    ['External', {}, 1, 'Removed', 'RollingUpdate'],
  ])('on %s chooses storage %j, %i replicas, %s, %s', (platform, storage, replicas, managementState, rolloutStrategy) => {
    expect(platformDefaults(platform, undefined)).toEqual({ platform, storage, replicas, managementState, rolloutStrategy });
  });

  it.each([...platformsWithDefaults, 'Libvirt'])(
    'on %s writes the storage the storage app completes an empty spec.storage with (one libs/api table)',
    (platform) => {
      const d = platformDefaults(platform, undefined);
      expect(d.storage).toEqual(platformDefaultStorage(platform) ?? {});
      expect(d.managementState).toBe(platformDefaultStorage(platform) ? 'Managed' : 'Removed');
    },
  );

  it('caps replicas at 1 on single-replica infrastructure', () => {
    expect(platformDefaults('AWS', { status: { infrastructureTopology: 'SingleReplica' } }).replicas).toBe(1);
  });

  it('creates Config/cluster with Normal log levels and no httpSecret (upstream bootstrap shape)', () => {
    expect(renderBootstrapConfig(platformDefaults('AWS', undefined))).toEqual({
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      spec: {
        managementState: 'Managed',
        logLevel: 'Normal',
        operatorLogLevel: 'Normal',
        storage: { s3: {} },
        replicas: 2,
        rolloutStrategy: 'RollingUpdate',
      },
    });
  });
});
