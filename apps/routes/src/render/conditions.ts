import type { DesiredCondition } from '@image-registry/conditions';
import type { Problem } from './requests.ts';

export const conditionTypes = {
  imageConfig: 'ImageConfigControllerDegraded',
  routes: 'RoutesControllerDegraded',
} as const;

/**
 * Degraded False always says `AsExpected` (whatever the management state): the ClusterOperator union
 * folds every other reason into its own, and upstream's ClusterOperator shows none from these two.
 */
export function degraded(type: string, problem: Problem | undefined): DesiredCondition {
  return problem
    ? { type, status: 'True', reason: problem.reason, message: problem.message }
    : { type, status: 'False', reason: 'AsExpected' };
}

/** Upstream's route admission Degraded: every router's refusal, joined with commas. */
export function admissionProblem(messages: readonly string[]): Problem | undefined {
  return messages.length ? { reason: 'RouteDegraded', message: messages.join(',') } : undefined;
}
