import type { Condition, DesiredCondition } from '@image-registry/conditions';

/** What the conditions read of Deployment `image-registry` (raw JSON from the cache). */
export interface ObservedDeployment {
  metadata?: { generation?: number; deletionTimestamp?: string };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    availableReplicas?: number;
    readyReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** How this pass went, as far as status is concerned. */
export type Outcome =
  | { kind: 'applied' }
  | { kind: 'waitingForStorage'; message: string }
  /** permanent: bad input only the user can fix (upstream's VerificationFailed / StorageNotConfigured). */
  | { kind: 'error'; message: string; permanent: boolean; reason: string };

export interface StatusInput {
  managementState: string | undefined;
  deployment: ObservedDeployment | undefined;
  outcome: Outcome;
  /** The Config's current conditions: the Available transition time feeds the 5-minute rule. */
  previous: readonly Condition[] | undefined;
  now: Date;
}

export interface StatusResult {
  conditions: DesiredCondition[];
  readyReplicas: number;
  /** When the 5-minute Unavailable rule can next change Degraded: check again then, without an event. */
  recheckAfterMs?: number;
}

/** Available False for longer than this makes Degraded True `Unavailable` (upstream's inertia). */
export const unavailableDegradedAfterMs = 5 * 60 * 1000;

const unmanagedMessage = 'The registry configuration is set to unmanaged mode';
const removedMessage = 'The registry is removed';
const readyMessage = 'The registry is ready';

function cond(type: string, status: 'True' | 'False', reason?: string, message?: string): DesiredCondition {
  const c: DesiredCondition = { type, status };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

function deploymentComplete(d: ObservedDeployment): boolean {
  const status = d.status;
  if (status?.observedGeneration !== undefined && d.metadata?.generation !== undefined && status.observedGeneration < d.metadata.generation) {
    return false;
  }
  return (status?.conditions ?? []).some((c) => c.type === 'Progressing' && c.status === 'True' && c.reason === 'NewReplicaSetAvailable');
}

function available(input: StatusInput): DesiredCondition {
  const { managementState: state, deployment: d, outcome } = input;
  if (state === 'Unmanaged') return cond('Available', 'True', 'Unmanaged', unmanagedMessage);
  if (!d) {
    if (outcome.kind === 'error' && outcome.permanent) return cond('Available', 'False', outcome.reason, `Error: ${outcome.message}`);
    if (state === 'Removed') return cond('Available', 'True', 'Removed', removedMessage);
    return cond('Available', 'False', 'DeploymentNotFound', 'The deployment does not exist');
  }
  if (d.metadata?.deletionTimestamp) return cond('Available', 'False', 'DeploymentDeleted', 'The deployment is being deleted');
  const availableReplicas = d.status?.availableReplicas ?? 0;
  if (availableReplicas === 0) return cond('Available', 'False', 'NoReplicasAvailable', 'The deployment does not have available replicas');
  if (availableReplicas !== (d.spec?.replicas ?? 1)) {
    return cond('Available', 'True', 'MinimumAvailability', 'The registry has minimum availability');
  }
  return cond('Available', 'True', 'Ready', readyMessage);
}

function progressing(input: StatusInput): DesiredCondition {
  const { managementState: state, deployment: d, outcome } = input;
  if (state === 'Unmanaged') return cond('Progressing', 'False', 'Unmanaged', unmanagedMessage);
  if (state === 'Removed') {
    return d
      ? cond('Progressing', 'True', 'DeletingDeployment', 'The deployment is being removed')
      : cond('Progressing', 'False', 'Removed', 'All registry resources are removed');
  }
  if (outcome.kind === 'error') {
    return cond('Progressing', outcome.permanent ? 'False' : 'True', 'Error', `Unable to apply resources: ${outcome.message}`);
  }
  if (outcome.kind === 'waitingForStorage') return cond('Progressing', 'True', 'WaitingForStorage', outcome.message);
  if (!d) {
    return cond('Progressing', 'True', 'WaitingForDeployment', 'All resources are successfully applied, but the deployment does not exist');
  }
  if (d.metadata?.deletionTimestamp) return cond('Progressing', 'True', 'FinalizingDeployment', 'The deployment is being deleted');
  if (!deploymentComplete(d)) return cond('Progressing', 'True', 'DeploymentNotCompleted', 'The deployment has not completed');
  return cond('Progressing', 'False', 'Ready', readyMessage);
}

function degraded(input: StatusInput, avail: DesiredCondition): { condition: DesiredCondition; recheckAfterMs?: number } {
  const { managementState: state, deployment: d, outcome } = input;
  if (state === 'Unmanaged') return { condition: cond('Degraded', 'False', 'Unmanaged', unmanagedMessage) };
  if (outcome.kind === 'error' && outcome.permanent) {
    return { condition: cond('Degraded', 'True', outcome.reason, `Error: ${outcome.message}`) };
  }
  if (state === 'Removed') return { condition: cond('Degraded', 'False', 'Removed', removedMessage) };
  if (avail.status !== 'True') {
    const previous = input.previous?.find((c) => c.type === 'Available');
    const since = previous && previous.status === avail.status ? Date.parse(previous.lastTransitionTime) : input.now.getTime();
    const age = input.now.getTime() - (Number.isNaN(since) ? input.now.getTime() : since);
    if (age >= unavailableDegradedAfterMs) {
      return { condition: cond('Degraded', 'True', 'Unavailable', avail.message) };
    }
    return { condition: cond('Degraded', 'False'), recheckAfterMs: unavailableDegradedAfterMs - age };
  }
  if (d && !deploymentComplete(d)) {
    const p = d.status?.conditions?.find((c) => c.type === 'Progressing');
    if (p?.reason === 'ProgressDeadlineExceeded') {
      return {
        condition: cond('Degraded', 'True', 'ProgressDeadlineExceeded', `Registry deployment has timed out progressing: ${p.message ?? ''}`),
      };
    }
  }
  return { condition: cond('Degraded', 'False') };
}

/**
 * Available, Progressing, Degraded and Removed for the Config (upstream-inventory §11.1), from what
 * was observed and how the pass went. Pure: the same input always gives the same conditions.
 */
export function registryConditions(input: StatusInput): StatusResult {
  const avail = available(input);
  const deg = degraded(input, avail);
  const removed =
    input.managementState === 'Removed' ? cond('Removed', 'True', 'Removed', removedMessage) : cond('Removed', 'False');
  const result: StatusResult = {
    conditions: [avail, progressing(input), deg.condition, removed],
    readyReplicas: input.deployment?.status?.readyReplicas ?? 0,
  };
  if (deg.recheckAfterMs !== undefined) result.recheckAfterMs = deg.recheckAfterMs;
  return result;
}
