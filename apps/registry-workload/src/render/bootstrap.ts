import type { StorageConfig } from './config.ts';
import { configApiVersion, configKind, configName } from './names.ts';

/** What bootstrap reads of `infrastructures.config.openshift.io/cluster`. */
export interface InfrastructureView {
  status?: {
    platform?: string;
    platformStatus?: { type?: string };
    infrastructureTopology?: string;
  };
}

export interface PlatformDefaults {
  platform: string;
  storage: StorageConfig;
  replicas: number;
  managementState: 'Managed' | 'Removed';
  rolloutStrategy: 'RollingUpdate' | 'Recreate';
}

// Node `spec.providerID` schemes of the cloud providers, mapped to Infrastructure platform types.
const providerSchemes: Record<string, string> = {
  aws: 'AWS',
  azure: 'Azure',
  gce: 'GCP',
  ibm: 'IBMCloud',
  powervs: 'PowerVS',
  openstack: 'OpenStack',
  vsphere: 'VSphere',
  ovirt: 'oVirt',
  kubevirt: 'KubeVirt',
  equinixmetal: 'EquinixMetal',
  packet: 'EquinixMetal',
  alicloud: 'AlibabaCloud',
  nutanix: 'Nutanix',
  libvirt: 'Libvirt',
  baremetalhost: 'BareMetal',
  metal3: 'BareMetal',
};

/**
 * The platform: Infrastructure's type when the object exists (OpenShift); else the first node
 * providerID a cloud provider set; else `None` (ARCHITECTURE: plain Kubernetes is first class).
 */
export function detectPlatform(infrastructure: InfrastructureView | undefined, providerIDs: readonly string[]): string {
  const fromInfra = infrastructure?.status?.platformStatus?.type || infrastructure?.status?.platform;
  if (fromInfra) return fromInfra;
  for (const id of providerIDs) {
    const scheme = /^([a-z0-9]+):\/\//.exec(id)?.[1];
    const platform = scheme === undefined ? undefined : providerSchemes[scheme];
    if (platform) return platform;
  }
  return 'None';
}

const removedPlatforms = new Set(['BareMetal', 'VSphere', 'None', 'Nutanix', 'KubeVirt', 'EquinixMetal', 'AlibabaCloud', 'External']);

/**
 * Storage, replicas and state per platform (upstream-inventory §2.2). Only the backend is chosen here;
 * the storage app completes `spec.storage` (names, region) and provisions it. OpenStack gets Swift:
 * whether Swift is usable needs cloud credentials, which only the storage app holds, and it reports
 * StorageExists False when it is not.
 */
export function platformDefaults(platform: string, infrastructure: InfrastructureView | undefined): PlatformDefaults {
  let storage: StorageConfig;
  let replicas = 2;
  let rolloutStrategy: PlatformDefaults['rolloutStrategy'] = 'RollingUpdate';
  if (removedPlatforms.has(platform)) {
    storage = {};
    replicas = 1;
  } else if (platform === 'AWS') storage = { s3: {} };
  else if (platform === 'Azure') storage = { azure: {} };
  else if (platform === 'GCP') storage = { gcs: {} };
  else if (platform === 'IBMCloud' || platform === 'PowerVS') storage = { ibmcos: {} };
  else if (platform === 'OpenStack') storage = { swift: {} };
  else if (platform === 'oVirt') {
    storage = { pvc: { claim: 'image-registry-storage' } };
    replicas = 1;
    rolloutStrategy = 'Recreate';
  } else {
    storage = { emptyDir: {} };
    replicas = 1;
  }
  if (infrastructure?.status?.infrastructureTopology === 'SingleReplica' && replicas > 1) replicas = 1;
  const managementState = Object.keys(storage).length === 0 ? 'Removed' : 'Managed';
  return { platform, storage, replicas, managementState, rolloutStrategy };
}

/** The `Config/cluster` created when none exists. No httpSecret: the first Managed pass generates it. */
export function renderBootstrapConfig(defaults: PlatformDefaults, name = configName) {
  return {
    apiVersion: configApiVersion,
    kind: configKind,
    metadata: { name },
    spec: {
      managementState: defaults.managementState,
      logLevel: 'Normal',
      operatorLogLevel: 'Normal',
      storage: defaults.storage,
      replicas: defaults.replicas,
      rolloutStrategy: defaults.rolloutStrategy,
    },
  };
}
