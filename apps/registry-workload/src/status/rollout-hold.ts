import type { DesiredCondition } from '@image-registry/conditions';

/**
 * How often, at most, the steps of a rollout are published: a replicas change moves the Deployment's
 * status several times (observed, scaled, each pod available), and writing the Config (and, through the
 * status app, the ClusterOperator) at every step made one user change cost a dozen writes.
 */
export const defaultRolloutStatusIntervalMs = 2_000;

/**
 * A state the Deployment controller passes through while the registry stays available: worth reporting
 * only if it lasts. An unavailable or degraded registry is news however briefly, so neither is one.
 */
export function isRolloutStep(conditions: readonly DesiredCondition[]): boolean {
  const available = conditions.find((c) => c.type === 'Available');
  if (available?.status !== 'True' || conditions.some((c) => c.type === 'Degraded' && c.status === 'True'))
    return false;
  return (
    available.reason === 'MinimumAvailability' ||
    conditions.some(
      (c) => c.type === 'Progressing' && c.status === 'True' && c.reason === 'DeploymentNotCompleted',
    )
  );
}

/** Publish now, or look again after `holdMs` (by then the rollout has usually finished). */
export type HoldDecision = { publish: true } | { publish: false; holdMs: number };

/**
 * Coalesces the status writes of one rollout: a status that is a rollout step and differs from what the
 * Config shows waits until it has been pending for `intervalMs`; anything else (the rollout done, an
 * error, a missing Deployment) is published at once and carries the steps it superseded. One change
 * that rolls out within the interval costs one status write; a long rollout shows progress every interval.
 */
export class RolloutHold {
  private pendingSince: number | undefined;
  private readonly intervalMs: number;

  constructor(intervalMs: number = defaultRolloutStatusIntervalMs) {
    this.intervalMs = intervalMs;
  }

  decide(conditions: readonly DesiredCondition[], changed: boolean, nowMs: number): HoldDecision {
    if (!changed || !isRolloutStep(conditions)) {
      this.pendingSince = undefined;
      return { publish: true };
    }
    this.pendingSince ??= nowMs;
    const left = this.pendingSince + this.intervalMs - nowMs;
    if (left <= 0) {
      this.pendingSince = undefined;
      return { publish: true };
    }
    return { publish: false, holdMs: left };
  }
}
