import type { DesiredCondition } from '@image-registry/conditions';
import { StorageConditionTypes } from './drivers/driver.ts';

/** Why storage is not as configured: the reason and message StorageControllerDegraded shows. */
export interface Failure {
  reason: string;
  message: string;
  /** Only a change of input can help: Degraded at once instead of after the grace period. */
  terminal: boolean;
}

/**
 * StorageControllerDegraded. A transient failure (endpoint down, throttled, credentials not minted
 * yet) is retried with backoff and becomes Degraded only when it has lasted `graceMs`; until then the
 * storage conditions say what is wrong. Input errors are Degraded at once.
 */
export function degradedCondition(
  failure: Failure | undefined,
  failingForMs: number,
  graceMs: number,
): DesiredCondition {
  const type = StorageConditionTypes.degraded;
  if (!failure) return { type, status: 'False', reason: 'AsExpected', message: '' };
  if (failure.terminal || failingForMs >= graceMs)
    return { type, status: 'True', reason: failure.reason, message: failure.message };
  return { type, status: 'False', reason: 'Retrying', message: `Retrying: ${failure.message}` };
}
