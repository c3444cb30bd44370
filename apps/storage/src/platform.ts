import type { StorageSpec } from './storage-types.ts';

/**
 * The storage a platform gets when `spec.storage` is empty (upstream-inventory §2.2). `undefined`
 * means the platform has no default: the registry is bootstrapped Removed there, and a Managed
 * registry without storage is a configuration error.
 *
 * Deliberate difference: OpenStack gets a PVC rather than Swift (no Swift driver yet), and the claim is
 * left to this app (`pvc: {}`, created RWX on the default class) instead of a bootstrap-created one.
 */
export function platformDefaultStorage(platform: string): StorageSpec | undefined {
  switch (platform) {
    case 'BareMetal':
    case 'VSphere':
    case 'None':
    case 'Nutanix':
    case 'KubeVirt':
    case 'EquinixMetal':
    case 'AlibabaCloud':
    case 'External':
      return undefined;
    case 'AWS':
      return { s3: {} };
    case 'Azure':
      return { azure: {} };
    case 'GCP':
      return { gcs: {} };
    case 'IBMCloud':
    case 'PowerVS':
      return { ibmcos: {} };
    case 'OpenStack':
    case 'oVirt':
      return { pvc: {} };
    default:
      return { emptyDir: {} };
  }
}

/** Node `spec.providerID` schemes of the cloud providers' node controllers, to their platform type. */
const providerSchemes: Record<string, string> = {
  aws: 'AWS',
  gce: 'GCP',
  azure: 'Azure',
  openstack: 'OpenStack',
  ibm: 'IBMCloud',
  vsphere: 'VSphere',
  ovirt: 'oVirt',
  kubevirt: 'KubeVirt',
  nutanix: 'Nutanix',
  alicloud: 'AlibabaCloud',
  powervs: 'PowerVS',
};

/**
 * The platform of a cluster without an Infrastructure object, from its nodes' provider IDs
 * (`aws:///us-east-1a/i-…`, `gce://project/zone/name`). `None` when no node names a known provider.
 */
export function platformFromProviderIDs(providerIDs: readonly (string | undefined)[]): string {
  for (const id of providerIDs) {
    const scheme = id?.match(/^([a-z]+):\/\//)?.[1];
    const platform = scheme ? providerSchemes[scheme] : undefined;
    if (platform) return platform;
  }
  return 'None';
}
