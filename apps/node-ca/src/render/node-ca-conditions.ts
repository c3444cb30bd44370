import type { DesiredCondition } from '@image-registry/conditions';
import type { DaemonSetObject } from '../resources.ts';

/**
 * NodeCADaemonAvailable and NodeCADaemonProgressing from the DaemonSet as it is before this pass's
 * apply, with upstream's reasons and texts (reference/upstream-inventory.md §9.4).
 */
export function daemonSetConditions(ds: DaemonSetObject | undefined, getError?: string): DesiredCondition[] {
  if (getError !== undefined) {
    return [
      { type: 'NodeCADaemonAvailable', status: 'Unknown', reason: 'Unknown', message: `Unable to check daemon set availability: ${getError}` },
      { type: 'NodeCADaemonProgressing', status: 'Unknown', reason: 'Unknown', message: `Unable to check daemon set progress: ${getError}` },
    ];
  }
  if (!ds) {
    const message = 'The daemon set node-ca does not exist';
    return [
      { type: 'NodeCADaemonAvailable', status: 'False', reason: 'NotFound', message },
      { type: 'NodeCADaemonProgressing', status: 'True', reason: 'NotFound', message },
    ];
  }
  const s = ds.status ?? {};
  const available: DesiredCondition =
    (s.numberAvailable ?? 0) > 0
      ? { type: 'NodeCADaemonAvailable', status: 'True', reason: 'AsExpected', message: 'The daemon set node-ca has available replicas' }
      : { type: 'NodeCADaemonAvailable', status: 'False', reason: 'NoAvailableReplicas', message: 'The daemon set node-ca does not have available replicas' };
  const updating = (s.updatedNumberScheduled ?? 0) < (s.desiredNumberScheduled ?? 0) || (s.numberMisscheduled ?? 0) > 0;
  const progressing: DesiredCondition = updating
    ? { type: 'NodeCADaemonProgressing', status: 'True', reason: 'Progressing', message: 'The daemon set node-ca is updating node pods' }
    : { type: 'NodeCADaemonProgressing', status: 'False', reason: 'AsExpected', message: 'The daemon set node-ca is deployed' };
  return [available, progressing];
}

/** How long apply errors must last before NodeCADaemonControllerDegraded turns True (upstream: 2 min). */
export const degradedInertiaMs = 2 * 60_000;

/**
 * NodeCADaemonControllerDegraded: False after a successful apply; True with the error only once
 * failures have lasted the inertia; undefined meanwhile (the condition keeps its last value).
 */
export function controllerDegraded(error: string | undefined, failingSinceMs: number | undefined, nowMs: number): DesiredCondition | undefined {
  if (error === undefined) return { type: 'NodeCADaemonControllerDegraded', status: 'False', reason: 'AsExpected' };
  if (failingSinceMs === undefined || nowMs - failingSinceMs < degradedInertiaMs) return undefined;
  return { type: 'NodeCADaemonControllerDegraded', status: 'True', reason: 'Error', message: error };
}
