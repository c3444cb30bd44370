import type { Condition, ConditionStatus } from './types.ts';
import { latestTransitionTime, sortStrings, typePrefix, unionMessage } from './union.ts';
import type { NormalStatus, UnionedCondition } from './union.ts';

/** How long (ms) a condition must have been abnormal before it may turn the union abnormal. */
export type Inertia = (condition: Condition) => number;

export interface InertiaRule {
  /** Matched against the condition type; the first matching rule wins. */
  match: RegExp;
  durationMs: number;
}

/** library-go's NewInertia: the first rule whose pattern matches the condition type, else the default. */
export function newInertia(defaultMs: number, rules: readonly InertiaRule[] = []): Inertia {
  for (const [i, rule] of rules.entries()) {
    if (!(rule.match instanceof RegExp)) throw new TypeError(`inertia rule ${i} needs a RegExp in "match"`);
    if (!(rule.durationMs >= 0))
      throw new RangeError(`inertia rule ${i} needs durationMs >= 0, got ${rule.durationMs}`);
  }
  if (!(defaultMs >= 0)) throw new RangeError(`inertia default needs to be >= 0 ms, got ${defaultMs}`);
  return (condition) => rules.find((r) => matches(r.match, condition.type))?.durationMs ?? defaultMs;
}

// A stateful (global/sticky) RegExp would make matches depend on earlier calls.
function matches(pattern: RegExp, value: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(value);
}

export type LibraryGoUnionOptions = { inertia?: undefined } | { inertia: Inertia; now: Date };

/**
 * library-go's `status.UnionCondition`, used by its StatusSyncer (2 minutes of Degraded inertia by default):
 * - no input whose type ends with `type` → Unknown, reason `NoData`;
 * - "bad" inputs are those not at the default status; with inertia only those bad for longer than
 *   their inertia count ("elder");
 * - no elder bad input → default status, reason `AsExpected`, message of all inputs or `All is well`;
 * - else → False/True if any bad input has the opposite status, otherwise Unknown; reason
 *   `<prefix>_<Reason>` (or `<prefix>`) of all bad inputs, sorted and joined with `::`; message of all bad
 *   inputs in type order, repeated lines within one message dropped.
 */
export function libraryGoUnionConditions(
  type: string,
  defaultStatus: NormalStatus,
  conditions: readonly Condition[],
  options: LibraryGoUnionOptions = {},
): UnionedCondition {
  const opposite: ConditionStatus = defaultStatus === 'True' ? 'False' : 'True';
  const inputs = conditions.filter((c) => c.type.endsWith(type));
  if (inputs.length === 0) return { type, status: 'Unknown', reason: 'NoData', message: '' };

  const bad = inputs
    .filter((c) => c.status !== defaultStatus)
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  const badStatus: ConditionStatus = bad.some((c) => c.status === opposite) ? opposite : 'Unknown';
  const elder =
    options.inertia === undefined ? bad : bad.filter((c) => isElder(c, options.inertia, options.now));

  if (elder.length === 0) {
    const result: UnionedCondition = {
      type,
      status: defaultStatus,
      reason: 'AsExpected',
      message: unionMessage(inputs, true) || 'All is well',
    };
    return withLatest(result, inputs);
  }
  const reason = sortStrings(
    bad.map((c) => {
      const prefix = typePrefix(c.type, type);
      return c.reason ? `${prefix}_${c.reason}` : prefix;
    }),
  ).join('::');
  return withLatest({ type, status: badStatus, reason, message: unionMessage(bad, true) }, bad);
}

function isElder(condition: Condition, inertia: Inertia, now: Date): boolean {
  const since = Date.parse(condition.lastTransitionTime);
  // A missing or unparseable time counts as the zero time, which is older than any inertia.
  const sinceMs = Number.isNaN(since) ? Number.NEGATIVE_INFINITY : since;
  return sinceMs < now.getTime() - inertia(condition);
}

function withLatest(result: UnionedCondition, from: readonly Condition[]): UnionedCondition {
  const latest = latestTransitionTime(from);
  return latest === undefined ? result : { ...result, lastTransitionTime: latest };
}
