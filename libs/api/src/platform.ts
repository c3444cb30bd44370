import type * as z from 'zod/mini';
import type { storage as storageSchema } from './schema/storage.ts';

/** `spec.storage` as written (defaults not yet applied). */
type Storage = z.input<typeof storageSchema>;

/**
 * Platform facts every app agrees on: how the platform is detected and what storage, replicas and
 * rollout it gets by default (upstream-inventory §2.2). registry-workload bootstraps `Config/cluster`
 * from this table and the storage app completes an empty `spec.storage` from it, so the two can never
 * disagree.
 */

/** What platform detection reads of `infrastructures.config.openshift.io/cluster`. */
export interface PlatformInfrastructure {
  status?: { platform?: string; platformStatus?: { type?: string } };
}

/** Node `spec.providerID` schemes of the cloud providers' node controllers, to their platform type. */
const providerSchemes: Readonly<Record<string, string>> = {
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

/** The platform named by the first node provider ID a cloud provider set (`aws:///…`, `gce://…`), else `None`. */
export function platformFromProviderIDs(providerIDs: readonly (string | undefined)[]): string {
  for (const id of providerIDs) {
    const scheme = id?.match(/^([a-z0-9]+):\/\//)?.[1];
    const platform = scheme === undefined ? undefined : providerSchemes[scheme];
    if (platform) return platform;
  }
  return 'None';
}

/**
 * The platform: Infrastructure's type when the object exists (OpenShift); else from the nodes'
 * provider IDs; else `None` (plain Kubernetes is first class).
 */
export function detectPlatform(
  infrastructure: PlatformInfrastructure | undefined,
  providerIDs: readonly (string | undefined)[],
): string {
  const fromInfra = infrastructure?.status?.platformStatus?.type || infrastructure?.status?.platform;
  return fromInfra || platformFromProviderIDs(providerIDs);
}

export interface PlatformDefaults {
  /** `spec.storage` at bootstrap; `{}` means no default storage (the registry is bootstrapped Removed). */
  storage: Storage;
  replicas: number;
  rolloutStrategy: 'RollingUpdate' | 'Recreate';
}

/** The claim upstream creates where the platform's default storage is a PVC. */
export const defaultClaimName = 'image-registry-storage';

const removed: PlatformDefaults = { storage: {}, replicas: 1, rolloutStrategy: 'RollingUpdate' };
const cloud = (storage: Storage): PlatformDefaults => ({
  storage,
  replicas: 2,
  rolloutStrategy: 'RollingUpdate',
});
/** One ReadWriteOnce claim: one replica, replaced rather than rolled. */
const claim: PlatformDefaults = {
  storage: { pvc: { claim: defaultClaimName } },
  replicas: 1,
  rolloutStrategy: 'Recreate',
};

/**
 * Per platform type. Deliberate difference: OpenStack gets upstream's "OpenStack without Swift" (a PVC),
 * never Swift — no app here can provision Swift containers or probe the Swift catalogue, and the CNCF
 * registry has no Swift driver. A Swift container is still usable when the admin configures
 * `spec.storage.swift` with the openshift registry flavour.
 */
const table: Readonly<Record<string, PlatformDefaults>> = {
  BareMetal: removed,
  VSphere: removed,
  None: removed,
  Nutanix: removed,
  KubeVirt: removed,
  EquinixMetal: removed,
  AlibabaCloud: removed,
  External: removed,
  AWS: cloud({ s3: {} }),
  Azure: cloud({ azure: {} }),
  GCP: cloud({ gcs: {} }),
  IBMCloud: cloud({ ibmcos: {} }),
  PowerVS: cloud({ ibmcos: {} }),
  OpenStack: claim,
  oVirt: claim,
};

/** The platforms the table names; any other type (Libvirt, a new one) gets emptyDir. */
export const platformsWithDefaults: readonly string[] = Object.keys(table);

/** Storage, replicas and rollout for a platform type (a fresh copy: callers may complete it). */
export function platformDefaults(platform: string): PlatformDefaults {
  const d = table[platform] ?? { storage: { emptyDir: {} }, replicas: 1, rolloutStrategy: 'RollingUpdate' };
  return { ...d, storage: structuredClone(d.storage) };
}

/** The default `spec.storage` of a platform, or undefined where it has none (bootstrapped Removed). */
export function platformDefaultStorage(platform: string): Storage | undefined {
  const { storage } = platformDefaults(platform);
  return Object.keys(storage).length === 0 ? undefined : storage;
}
