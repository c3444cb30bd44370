import { describe, expect, it } from 'vitest';
import { platformDefaultStorage, platformFromProviderIDs } from './platform.ts';

describe('platformDefaultStorage', () => {
  it.each([
    ['AWS', { s3: {} }],
    ['GCP', { gcs: {} }],
    ['Azure', { azure: {} }],
    ['IBMCloud', { ibmcos: {} }],
    ['PowerVS', { ibmcos: {} }],
    ['OpenStack', { pvc: {} }],
    ['oVirt', { pvc: {} }],
    ['Libvirt', { emptyDir: {} }],
    ['SomethingNew', { emptyDir: {} }],
  ])('gives %s its default backend', (platform, storage) => {
    expect(platformDefaultStorage(platform)).toEqual(storage);
  });

  it.each([
    'BareMetal',
    'VSphere',
    'None',
    'Nutanix',
    'KubeVirt',
    'EquinixMetal',
    'AlibabaCloud',
    'External',
  ])('gives %s no default (the registry starts Removed there)', (platform) =>
    expect(platformDefaultStorage(platform)).toBeUndefined(),
  );
});

describe('platformFromProviderIDs', () => {
  it('recognises the cloud from the first node with a known provider ID', () => {
    expect(platformFromProviderIDs([undefined, 'kwok://node-1', 'aws:///us-east-1a/i-0abc'])).toBe('AWS');
    expect(platformFromProviderIDs(['gce://proj/us-central1-a/n1'])).toBe('GCP');
    expect(platformFromProviderIDs(['azure:///subscriptions/x'])).toBe('Azure');
  });

  it('is None for nodes without a cloud provider', () => {
    expect(platformFromProviderIDs([])).toBe('None');
    expect(platformFromProviderIDs(['kind://docker/kind/kind-control-plane', undefined])).toBe('None');
  });
});
