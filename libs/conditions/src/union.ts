import type { Condition, ConditionStatus } from './types.ts';

/** The healthy value of an aggregated condition: True for `Available`, False for `Progressing`/`Degraded`. */
export type NormalStatus = Extract<ConditionStatus, 'True' | 'False'>;

/** An aggregated condition. `lastTransitionTime` is the latest among its inputs, absent without inputs. */
export interface UnionedCondition {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

/**
 * The image registry operator's own union (upstream `pkg/resource/clusteroperator.go`), which produces
 * the ClusterOperator's `Available`, `Progressing` and `Degraded`:
 * - inputs are the conditions whose type ends with `type` (the bare type matches too);
 * - status: the first input that is neither normal nor Unknown decides; else Unknown if any input is
 *   Unknown; else normal (also when there are no inputs);
 * - reason: `<prefix><Reason>` per input with a reason other than `AsExpected`, sorted, joined with `::`;
 *   `AsExpected` when that is empty and the status is normal;
 * - message: every line of every input's message as `<Type>: <line>`, in input order.
 */
export function unionConditions(
  type: string,
  normalStatus: NormalStatus,
  conditions: readonly Condition[],
): UnionedCondition {
  const inputs = conditions.filter((c) => c.type.endsWith(type));
  const status = unionStatus(normalStatus, inputs);
  const reasons = inputs
    .filter((c) => c.reason !== undefined && c.reason !== '' && c.reason !== 'AsExpected')
    .map((c) => `${typePrefix(c.type, type)}${c.reason ?? ''}`);
  let reason = sortStrings(reasons).join('::');
  if (reason === '' && status === normalStatus) reason = 'AsExpected';
  const result: UnionedCondition = { type, status, reason, message: unionMessage(inputs, false) };
  const latest = latestTransitionTime(inputs);
  if (latest !== undefined) result.lastTransitionTime = latest;
  return result;
}

function unionStatus(normalStatus: NormalStatus, inputs: readonly Condition[]): ConditionStatus {
  let unknown = false;
  for (const c of inputs) {
    if (c.status === 'Unknown') unknown = true;
    else if (c.status !== normalStatus) return c.status;
  }
  return unknown ? 'Unknown' : normalStatus;
}

/** `FooController` for `FooControllerDegraded` united under `Degraded`; empty for the bare type. */
export function typePrefix(conditionType: string, unionType: string): string {
  return conditionType.slice(0, conditionType.length - unionType.length);
}

/**
 * Each non-empty message split into lines, each line prefixed with its condition type; with `dedupe`,
 * repeated lines within one message are dropped (library-go does, the registry operator does not).
 */
export function unionMessage(inputs: readonly Condition[], dedupe: boolean): string {
  const lines: string[] = [];
  for (const c of inputs) {
    if (c.message === undefined || c.message === '') continue;
    const parts = c.message.split('\n');
    for (const line of dedupe ? [...new Set(parts)] : parts) lines.push(`${c.type}: ${line}`);
  }
  return lines.join('\n');
}

/** The latest `lastTransitionTime` among the conditions, as written; undefined for none. */
export function latestTransitionTime(conditions: readonly Condition[]): string | undefined {
  let latest: string | undefined;
  let latestMs = Number.NEGATIVE_INFINITY;
  for (const c of conditions) {
    const ms = Date.parse(c.lastTransitionTime);
    if (!Number.isNaN(ms) && ms > latestMs) {
      latest = c.lastTransitionTime;
      latestMs = ms;
    }
  }
  return latest;
}

/** Byte-wise ordering, as Go's sort.Strings, independent of locale. */
export function sortStrings(values: readonly string[]): string[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
