// What the status app tells an admin beyond the ClusterOperator: a Warning Event when the registry
// turns Degraded or unavailable (kubectl get events shows it beside the objects that caused it), and
// the live log level from Config/cluster spec.operatorLogLevel.
import { operatorLogLevelOf, processLogLevel } from '@image-registry/api';
import { eventRecorder, eventRef, followLogLevel, recordChanges, type KubeObject, type Manager } from '@image-registry/controller-runtime';
import { ClusterOperatorResource, ConfigResource, names } from './resources.ts';

type Conditioned = KubeObject & { status?: { conditions?: { type?: string; status?: string; reason?: string; message?: string }[] } };

const turned = (o: Conditioned | undefined, type: string, status: string) =>
  o?.status?.conditions?.find((c) => c.type === type && c.status === status);

/** Degraded turned True, or Available turned False: a page-worthy change, once per transition. */
export function operatorTurnedBad(old: Conditioned | undefined, obj: Conditioned) {
  for (const [type, status, reason] of [
    ['Degraded', 'True', 'OperatorDegraded'],
    ['Available', 'False', 'OperatorUnavailable'],
  ] as const) {
    const c = turned(obj, type, status);
    if (!c || turned(old, type, status)) continue;
    return {
      regarding: eventRef(obj, { apiVersion: 'config.openshift.io/v1', kind: 'ClusterOperator' }),
      type: 'Warning' as const,
      reason,
      action: 'Report',
      note: `ClusterOperator ${obj.metadata?.name ?? ''} is ${type}=${status} (${c.reason ?? 'no reason'}): ${c.message ?? ''}`.trim(),
    };
  }
  return undefined;
}

export function observeStatus(mgr: Manager, namespace: string): void {
  const cos = mgr.informer(ClusterOperatorResource, { fieldSelector: `metadata.name=${names.clusterOperator}` });
  recordChanges(mgr, cos, eventRecorder(mgr, namespace), operatorTurnedBad);
  followLogLevel(mgr, ConfigResource, names.config, (c) => processLogLevel(operatorLogLevelOf(c)));
}
