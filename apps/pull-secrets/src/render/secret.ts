import { pullSecretAnnotations, pullSecretsManagedLabel } from '@image-registry/api';
import type { KubeObject } from '@image-registry/controller-runtime';

export const dockercfgType = 'kubernetes.io/dockercfg';

export interface SecretOwner {
  namespace: string;
  name: string;
  uid: string;
}

/** The managed pull secret's identity: label, the upstream annotations, owner reference to the SA. */
function meta(secretName: string, sa: SecretOwner) {
  return {
    name: secretName,
    namespace: sa.namespace,
    labels: { [pullSecretsManagedLabel.key]: pullSecretsManagedLabel.value },
    annotations: {
      [pullSecretAnnotations.serviceAccount]: sa.name,
      [pullSecretAnnotations.binding]: 'bound',
    },
    // Not a controller reference and no blockOwnerDeletion, as upstream: the garbage collector removes
    // the secret with its ServiceAccount, nothing else hangs on it.
    ownerReferences: [{ apiVersion: 'v1', kind: 'ServiceAccount', name: sa.name, uid: sa.uid }],
  };
}

/** The secret as first created: `.dockercfg` is `{}` until a token bound to its UID exists. */
export function renderEmptyPullSecret(secretName: string, sa: SecretOwner): KubeObject & { type: string; data: Record<string, string> } {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(secretName, sa),
    type: dockercfgType,
    data: { '.dockercfg': Buffer.from('{}').toString('base64') },
  };
}

/** The server-side apply of a refreshed secret (every field this app owns). */
export function renderPullSecret(
  secretName: string,
  sa: SecretOwner,
  dockercfg: string,
): KubeObject & { type: string; data: Record<string, string> } {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(secretName, sa),
    type: dockercfgType,
    data: { '.dockercfg': Buffer.from(dockercfg, 'utf8').toString('base64') },
  };
}
