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

export const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
