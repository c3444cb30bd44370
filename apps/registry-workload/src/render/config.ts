import type {
  V1Affinity,
  V1ResourceRequirements,
  V1Toleration,
  V1TopologySpreadConstraint,
} from '@kubernetes/client-node';

/**
 * The parts of `configs.imageregistry.operator.openshift.io` this app reads, in their JSON form.
 * Structural on purpose: the renderers accept any object of this shape (the zod-derived type from
 * libs/api included), so they stay testable with plain literals.
 */
export interface RequestsLimits {
  maxRunning?: number;
  maxInQueue?: number;
  /** A Go duration string (`3s`, `6h`); the registry wants Go's own formatting of it back. */
  maxWaitInQueue?: string;
}

export interface S3CloudFront {
  baseURL: string;
  privateKey: { name?: string; key: string };
  keypairID: string;
  duration?: string;
}

export interface S3Storage {
  bucket?: string;
  region?: string;
  regionEndpoint?: string;
  chunkSizeMiB?: number;
  encrypt?: boolean;
  keyID?: string;
  cloudFront?: S3CloudFront;
  virtualHostedStyle?: boolean;
  trustedCA?: { name?: string };
}

export interface GCSStorage {
  bucket?: string;
  region?: string;
  projectID?: string;
  keyID?: string;
}

export interface SwiftStorage {
  authURL?: string;
  authVersion?: string;
  container?: string;
  domain?: string;
  domainID?: string;
  tenant?: string;
  tenantID?: string;
  regionName?: string;
}

export interface AzureStorage {
  accountName?: string;
  container?: string;
  cloudName?: string;
}

export interface IBMCOSStorage {
  bucket?: string;
  location?: string;
  resourceGroupName?: string;
  resourceKeyCRN?: string;
  serviceInstanceCRN?: string;
}

export interface StorageConfig {
  emptyDir?: Record<string, never> | object;
  s3?: S3Storage;
  gcs?: GCSStorage;
  swift?: SwiftStorage;
  pvc?: { claim?: string };
  azure?: AzureStorage;
  ibmcos?: IBMCOSStorage;
  oss?: object;
  managementState?: string;
}

export interface RegistrySpec {
  managementState?: string;
  logLevel?: string;
  operatorLogLevel?: string;
  unsupportedConfigOverrides?: unknown;
  observedConfig?: unknown;
  httpSecret?: string;
  proxy?: { http?: string; https?: string; noProxy?: string };
  storage?: StorageConfig;
  readOnly?: boolean;
  disableRedirect?: boolean;
  requests?: { read?: RequestsLimits; write?: RequestsLimits };
  replicas?: number;
  logging?: number;
  resources?: V1ResourceRequirements;
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  rolloutStrategy?: string;
  affinity?: V1Affinity;
  topologySpreadConstraints?: V1TopologySpreadConstraint[];
}

/** The Config object as far as the renderers need it. */
export interface RegistryConfig {
  metadata: { name?: string; uid?: string; generation?: number };
  spec: RegistrySpec;
  status?: { storage?: StorageConfig; conditions?: { type: string; status: string; message?: string }[] };
}
