import type { V1TopologySpreadConstraint } from '@kubernetes/client-node';
import type { RegistrySpec } from './config.ts';
import { registryLabels } from './names.ts';

export const zoneLabel = 'topology.kubernetes.io/zone';

function spread(topologyKey: string): V1TopologySpreadConstraint {
  return {
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'DoNotSchedule',
    labelSelector: { matchLabels: { ...registryLabels } },
    matchLabelKeys: ['pod-template-hash'],
    nodeAffinityPolicy: 'Honor',
    nodeTaintsPolicy: 'Honor',
  };
}

/**
 * Topology spread (upstream-inventory §5.5): the user's list when set (even empty); none when the
 * user pinned nodes with `spec.nodeSelector`; else spread over hosts, workers, and zones when any
 * node carries a zone label.
 */
export function topologySpread(spec: RegistrySpec, nodesHaveZones: boolean): V1TopologySpreadConstraint[] {
  if (spec.topologySpreadConstraints) return spec.topologySpreadConstraints;
  if (spec.nodeSelector) return [];
  const keys = ['kubernetes.io/hostname', 'node-role.kubernetes.io/worker'];
  if (nodesHaveZones) keys.push(zoneLabel);
  return keys.map(spread);
}
