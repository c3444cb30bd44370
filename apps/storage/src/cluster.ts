/**
 * The facts about the cluster the drivers need, read from `Infrastructure/cluster` when it exists.
 * On plain Kubernetes (no Infrastructure) everything but the infrastructure name is empty.
 */

export interface Tag {
  key: string;
  value: string;
}

export interface ClusterFacts {
  /** Prefix of every generated storage name and the value of the `kubernetes.io/cluster/<name>` tag. */
  infrastructureName: string;
  /** `status.platformStatus.type` (`AWS`, `GCP`, `Azure`, …), `None` when unknown. */
  platform: string;
  /** Infrastructure/cluster exists (else the platform must be detected another way). */
  hasInfrastructure: boolean;
  aws: { region?: string; serviceEndpoints: { name: string; url: string }[]; resourceTags: Tag[] };
  gcp: { region?: string; projectID?: string; resourceLabels: Tag[] };
  azure: { cloudName?: string; resourceGroupName?: string; resourceTags: Tag[] };
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function tags(v: unknown): Tag[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((t) => {
    const key = str(obj(t)['key']);
    const value = obj(t)['value'];
    return key && typeof value === 'string' ? [{ key, value }] : [];
  });
}

/**
 * Cluster facts from an Infrastructure object (or undefined when there is none). The infrastructure
 * name falls back to `fallbackName` (the `--infrastructure-name` flag or its derived default).
 */
export function clusterFacts(infrastructure: unknown, fallbackName: string): ClusterFacts {
  const status = obj(obj(infrastructure)['status']);
  const platformStatus = obj(status['platformStatus']);
  const aws = obj(platformStatus['aws']);
  const gcp = obj(platformStatus['gcp']);
  const azure = obj(platformStatus['azure']);
  const endpoints = Array.isArray(aws['serviceEndpoints']) ? aws['serviceEndpoints'] : [];
  return {
    infrastructureName: str(status['infrastructureName']) ?? fallbackName,
    platform: str(platformStatus['type']) ?? str(status['platform']) ?? 'None',
    hasInfrastructure: infrastructure !== undefined && infrastructure !== null,
    aws: {
      region: str(aws['region']),
      serviceEndpoints: endpoints.flatMap((e) => {
        const name = str(obj(e)['name']);
        const url = str(obj(e)['url']);
        return name && url ? [{ name, url }] : [];
      }),
      resourceTags: tags(aws['resourceTags']),
    },
    gcp: {
      region: str(gcp['region']),
      projectID: str(gcp['projectID']),
      resourceLabels: tags(gcp['resourceLabels']),
    },
    azure: {
      cloudName: str(azure['cloudName']),
      resourceGroupName: str(azure['resourceGroupName']),
      resourceTags: tags(azure['resourceTags']),
    },
  };
}

/**
 * The infrastructure name used when there is no Infrastructure object and no `--infrastructure-name`:
 * `k8s-` plus the first 8 characters of the `kube-system` namespace UID, stable for the cluster's life
 * and distinct between clusters (S3 bucket names are global).
 */
export function derivedInfrastructureName(kubeSystemUid: string): string {
  const id = kubeSystemUid
    .replace(/[^0-9a-z]/gi, '')
    .slice(0, 8)
    .toLowerCase();
  return id ? `k8s-${id}` : 'k8s-cluster';
}
