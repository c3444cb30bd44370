import type { KubeObject } from '@image-registry/controller-runtime';

/** ServiceAccount node-ca of the DaemonSet's pods; it holds no token and no permission on the API. */
export function renderServiceAccount(namespace: string): KubeObject & { automountServiceAccountToken: boolean } {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: 'node-ca',
      namespace,
      labels: { 'app.kubernetes.io/name': 'image-registry-operator', 'app.kubernetes.io/component': 'node-ca' },
    },
    automountServiceAccountToken: false,
  };
}
