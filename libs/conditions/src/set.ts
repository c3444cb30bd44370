import { formatTime } from './time.ts';
import type { Condition, ConditionStatus, DesiredCondition } from './types.ts';

/** The condition of the given type, or undefined. */
export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** True when the condition of this type exists and has this status. */
export function hasStatus(
  conditions: readonly Condition[] | undefined,
  type: string,
  status: ConditionStatus,
): boolean {
  return findCondition(conditions, type)?.status === status;
}

export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return hasStatus(conditions, type, 'True');
}

export function isFalse(conditions: readonly Condition[] | undefined, type: string): boolean {
  return hasStatus(conditions, type, 'False');
}

/** True when the condition is Unknown or missing: nobody has said anything definite about it. */
export function isUnknown(conditions: readonly Condition[] | undefined, type: string): boolean {
  const found = findCondition(conditions, type);
  return found === undefined || found.status === 'Unknown';
}

/**
 * Returns a new list in which `next` replaces the condition of the same type (in place) or is appended.
 * `lastTransitionTime` becomes `now` only when the condition is new or its status changes; reason and
 * message are always replaced, also by nothing. The input list is never mutated.
 * Same rules as library-go's SetOperatorCondition and apimachinery's SetStatusCondition.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: DesiredCondition,
  now: Date,
): Condition[] {
  const list = conditions ?? [];
  const index = list.findIndex((c) => c.type === next.type);
  const previous = index === -1 ? undefined : list[index];
  const merged = withTransitionTime(next, previous, now);
  if (index === -1) return [...list, merged];
  return list.map((c, i) => (i === index ? merged : c));
}

/** Returns a new list without the condition of this type. */
export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/**
 * `next` with the transition time it should carry given the previous condition of its type: the
 * previous time when the status is unchanged, else `now`.
 */
export function withTransitionTime(
  next: DesiredCondition,
  previous: Condition | undefined,
  now: Date,
): Condition {
  const lastTransitionTime =
    previous !== undefined && previous.status === next.status ? previous.lastTransitionTime : formatTime(now);
  const condition: Condition = { type: next.type, status: next.status, lastTransitionTime };
  if (next.reason !== undefined) condition.reason = next.reason;
  if (next.message !== undefined) condition.message = next.message;
  return condition;
}
