import type { ExtraFlag } from '@image-registry/controller-runtime';

/** The storage app's own flags (the shared ones come from controller-runtime). */
export const storageFlags: Record<string, ExtraFlag> = {
  'infrastructure-name': {
    type: 'string',
    env: 'IRO_INFRASTRUCTURE_NAME',
    default: '',
    description:
      'prefix of generated bucket and container names and value of the kubernetes.io/cluster/<name> tag, used when ' +
      'Infrastructure/cluster does not exist (plain Kubernetes); empty: k8s-<first 8 characters of the kube-system namespace UID>',
  },
  'config-namespace': {
    type: 'string',
    env: 'IRO_CONFIG_NAMESPACE',
    default: 'openshift-config',
    description: 'namespace of the ConfigMaps named by spec.storage.s3.trustedCA',
  },
  'degraded-after-seconds': {
    type: 'string',
    env: 'IRO_STORAGE_DEGRADED_AFTER_SECONDS',
    default: '120',
    description:
      'how long provisioning may keep failing (and be retried) before StorageControllerDegraded turns True',
  },
  'gcs-endpoint': {
    type: 'string',
    env: 'IRO_GCS_ENDPOINT',
    default: '',
    description: 'Cloud Storage JSON API endpoint for an emulator (fake-gcs-server); empty: Google',
  },
  'use-cluster-proxy': {
    type: 'string',
    env: 'IRO_USE_CLUSTER_PROXY',
    default: 'false',
    description:
      'send the cloud storage calls through the proxy of proxies.config.openshift.io/cluster (status.httpProxy, httpsProxy, noProxy) when it names one; otherwise the process HTTPS_PROXY, HTTP_PROXY and NO_PROXY apply',
  },
  'sts-endpoint': {
    type: 'string',
    env: 'IRO_STS_ENDPOINT',
    default: '',
    description:
      'AWS STS endpoint for S3 web identity (AWS_ROLE_ARN with a projected token); empty: AWS_ENDPOINT_URL_STS, else the regional endpoint',
  },
  'azure-blob-endpoint': {
    type: 'string',
    env: 'IRO_AZURE_BLOB_ENDPOINT',
    default: '',
    description:
      'blob service URL template with {account} for an emulator (Azurite: http://127.0.0.1:10000/{account}); empty: https://{account}.blob.<cloud suffix>',
  },
};

export function seconds(flag: string, value: unknown): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`--${flag} must be a number of seconds, not "${String(value)}"`);
  return n * 1000;
}

export function bool(flag: string, value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false' || value === '' || value === undefined) return false;
  throw new Error(`--${flag} must be true or false, not "${String(value)}"`);
}

export const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
