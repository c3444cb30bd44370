import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import { registryLabels, registryName } from './names.ts';
import { configOwnerReference } from './owner.ts';
import type { Wire } from './wire.ts';

/**
 * PodDisruptionBudget `image-registry` (upstream-inventory §6.5): keep one pod through voluntary
 * disruptions when there is more than one; a single replica may always be evicted (else node drains
 * would hang).
 */
export function renderPodDisruptionBudget(namespace: string, ownerUid: string, replicas: number): Wire<V1PodDisruptionBudget> {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: registryName, namespace, labels: { ...registryLabels }, ownerReferences: [configOwnerReference(ownerUid)] },
    spec: {
      minAvailable: replicas > 1 ? 1 : 0,
      selector: { matchLabels: { ...registryLabels } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
}
