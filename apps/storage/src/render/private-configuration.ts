import type { OwnerReference } from '@image-registry/controller-runtime';

/** The Secret the registry mounts for storage credentials (upstream-inventory §6.6). */
export const privateConfigurationSecretName = 'image-registry-private-configuration';

export interface SecretObject {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    ownerReferences?: OwnerReference[];
  };
  type: 'Opaque';
  data?: Record<string, string>;
}

/**
 * Secret `image-registry-private-configuration` with the backend's keys (base64 `data`; `stringData`
 * would not round-trip through server-side apply). Owned by the Config so deleting the Config
 * collects it. No keys (emptyDir, a PVC): no `data` at all. The API server drops an empty map, so an
 * applied `data: {}` never matches the stored Secret and every pass would re-send it; leaving the field
 * out removes keys this app applied before just the same.
 */
export function privateConfigurationSecret(
  namespace: string,
  keys: Record<string, string>,
  owner: OwnerReference | undefined,
): SecretObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: privateConfigurationSecretName,
      namespace,
      labels: {
        'app.kubernetes.io/managed-by': 'image-registry-operator',
        'app.kubernetes.io/component': 'storage',
      },
      ...(owner ? { ownerReferences: [owner] } : {}),
    },
    type: 'Opaque',
    ...(Object.keys(keys).length > 0
      ? {
          data: Object.fromEntries(
            Object.entries(keys).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]),
          ),
        }
      : {}),
  };
}
