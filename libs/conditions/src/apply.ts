import { withTransitionTime } from './set.ts';
import type { Condition, DesiredCondition } from './types.ts';

export class ConditionsApplyError extends Error {
  override name = 'ConditionsApplyError';
}

export interface StatusConditionsApplyOptions {
  apiVersion: string;
  kind: string;
  name: string;
  /** Only for namespaced kinds. */
  namespace?: string;
  /** `status.conditions` of the object as last observed (the cache); supplies unchanged transition times. */
  current: readonly Condition[] | undefined;
  /**
   * Every condition this app owns, with its current value. A type this app applied before and leaves
   * out here is removed from the object by server-side apply.
   */
  conditions: readonly DesiredCondition[];
  /** When given, a condition of any other type is refused: an app must not apply another app's types. */
  ownedTypes?: readonly string[];
  now: Date;
}

export interface StatusConditionsApply {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  status: { conditions: Condition[] };
}

/**
 * The body of a server-side apply to `/status` that sets only this app's conditions. Because
 * `status.conditions` is a map list keyed by `type`, each field manager owns exactly the entries it
 * applies and never touches another app's. A condition whose status is unchanged keeps the current
 * `lastTransitionTime`; a new or changed one gets `now`.
 */
export function statusConditionsApply(options: StatusConditionsApplyOptions): StatusConditionsApply {
  const seen = new Set<string>();
  const owned = options.ownedTypes === undefined ? undefined : new Set(options.ownedTypes);
  const conditions = options.conditions.map((desired) => {
    if (seen.has(desired.type)) {
      throw new ConditionsApplyError(`condition type ${desired.type} appears twice; apply each type once`);
    }
    seen.add(desired.type);
    if (owned !== undefined && !owned.has(desired.type)) {
      throw new ConditionsApplyError(
        `condition type ${desired.type} is not one of this app's types (${[...owned].join(', ')}); ` +
          'another app owns it or the list of owned types is incomplete',
      );
    }
    const previous = options.current?.find((c) => c.type === desired.type);
    return withTransitionTime(desired, previous, options.now);
  });
  const metadata: StatusConditionsApply['metadata'] = { name: options.name };
  if (options.namespace !== undefined) metadata.namespace = options.namespace;
  return { apiVersion: options.apiVersion, kind: options.kind, metadata, status: { conditions } };
}
