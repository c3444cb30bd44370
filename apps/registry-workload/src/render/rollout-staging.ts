import type { V1Deployment } from '@kubernetes/client-node';
import type { Wire } from './wire.ts';

/** The parts of the live Deployment the staging decision reads. */
export interface LiveDeployment {
  spec?: { replicas?: number; template?: { spec?: { affinity?: unknown } } };
}

/**
 * Scaling up while dropping a hard anti-affinity (2 → N replicas) is done in two steps, as upstream
 * does for OCPBUGS-66203: first the new template without affinity at the current scale, then the new
 * scale. In one step, the surge pods of the old template could never schedule next to the old ones.
 * Returns what to apply now and whether another pass is needed.
 */
export function stageDeployment(desired: Wire<V1Deployment>, live: LiveDeployment | undefined): { apply: Wire<V1Deployment>; staged: boolean } {
  const liveReplicas = live?.spec?.replicas;
  const desiredReplicas = desired.spec?.replicas ?? 1;
  const liveHasAffinity = live?.spec?.template?.spec?.affinity !== undefined && live.spec.template.spec.affinity !== null;
  const desiredHasAffinity = desired.spec?.template.spec?.affinity !== undefined;
  if (!liveHasAffinity || desiredHasAffinity || liveReplicas === undefined || desiredReplicas <= liveReplicas) {
    return { apply: desired, staged: false };
  }
  const spec = desired.spec;
  if (!spec) return { apply: desired, staged: false };
  return { apply: { ...desired, spec: { ...spec, replicas: liveReplicas } }, staged: true };
}
