import type { V1Affinity } from '@kubernetes/client-node';
import { registryLabels } from './names.ts';

/**
 * `spec.affinity` when set; otherwise, for exactly two replicas, a required anti-affinity that puts
 * them on different nodes (upstream-inventory §5.4). Other replica counts get no default.
 */
export function affinityFor(affinity: V1Affinity | undefined, replicas: number, namespace: string): V1Affinity | undefined {
  if (affinity) return affinity;
  if (replicas !== 2) return undefined;
  return {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        {
          topologyKey: 'kubernetes.io/hostname',
          namespaces: [namespace],
          labelSelector: { matchLabels: { ...registryLabels } },
        },
      ],
    },
  };
}
