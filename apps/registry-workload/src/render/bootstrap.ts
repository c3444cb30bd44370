import { detectPlatform as detectPlatformFact, platformDefaults as platformDefaultsFact } from '@image-registry/api';
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

/**
 * The platform: Infrastructure's type when the object exists, else the nodes' provider IDs, else
 * `None` — the one detection in libs/api that the storage app uses too.
 */
export function detectPlatform(infrastructure: InfrastructureView | undefined, providerIDs: readonly string[]): string {
  return detectPlatformFact(infrastructure, providerIDs);
}

/**
 * Storage, replicas and state per platform, from the table in libs/api (upstream-inventory §2.2) that
 * the storage app completes an empty `spec.storage` from, so the two never disagree. Only the backend is
 * chosen here; the storage app completes `spec.storage` (names, region) and provisions it. OpenStack
 * gets upstream's "without Swift" PVC (see libs/api platform.ts).
 */
export function platformDefaults(platform: string, infrastructure: InfrastructureView | undefined): PlatformDefaults {
  const d = platformDefaultsFact(platform);
  const storage = d.storage as StorageConfig;
  let replicas = d.replicas;
  if (infrastructure?.status?.infrastructureTopology === 'SingleReplica' && replicas > 1) replicas = 1;
  const managementState = Object.keys(storage).length === 0 ? 'Removed' : 'Managed';
  return { platform, storage, replicas, managementState, rolloutStrategy: d.rolloutStrategy };
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
