import { sortStrings, unionConditions } from './union.ts';
import type { NormalStatus, UnionedCondition } from './union.ts';
import type { Condition } from './types.ts';

/** The ClusterOperator conditions the registry reports, in the order they are written (Available first). */
export const clusterOperatorUnions: readonly { type: string; normalStatus: NormalStatus }[] = [
  { type: 'Available', normalStatus: 'True' },
  { type: 'Progressing', normalStatus: 'False' },
  { type: 'Degraded', normalStatus: 'False' },
];

/** Prefix given to ImagePruner condition types before they join the union (`ImagePrunerDegraded`). */
export const imagePrunerConditionPrefix = 'ImagePruner';

/**
 * The union's inputs: the Config's conditions, then the ImagePruner's with their types prefixed
 * `ImagePruner`. Upstream had one writer, so its list order was stable; ours is the server-side-apply
 * merge of several apps' writes and depends on who wrote first. To keep messages stable we order each
 * list canonically: the bare aggregate types (`Available`, `Progressing`, `Degraded`) first, then the
 * others by type. This reproduces upstream's order for the healthy example
 * (`Available`, `NodeCADaemonAvailable`, `ImagePrunerAvailable`).
 */
export function clusterOperatorInputs(
  configConditions: readonly Condition[] | undefined,
  prunerConditions: readonly Condition[] | undefined,
): Condition[] {
  const pruner = (prunerConditions ?? []).map((c) => ({
    ...c,
    type: `${imagePrunerConditionPrefix}${c.type}`,
  }));
  return [...canonicalOrder(configConditions ?? []), ...canonicalOrder(pruner)];
}

function canonicalOrder(conditions: readonly Condition[]): Condition[] {
  const bare = new Set(clusterOperatorUnions.map((u) => u.type));
  const first = clusterOperatorUnions.flatMap((u) => conditions.filter((c) => c.type === u.type));
  const restTypes = sortStrings(conditions.filter((c) => !bare.has(c.type)).map((c) => c.type));
  // Types are unique in a map list; a duplicate (invalid input) keeps its relative order.
  const rest = [...new Set(restTypes)].flatMap((t) => conditions.filter((c) => c.type === t));
  return [...first, ...rest];
}

/**
 * `Available`, `Progressing` and `Degraded` of ClusterOperator `image-registry`, computed from the
 * Config's and the ImagePruner's conditions exactly as the upstream operator does. Write them with
 * `setCondition` so their transition time only moves when their status does.
 */
export function imageRegistryClusterOperatorConditions(
  configConditions: readonly Condition[] | undefined,
  prunerConditions: readonly Condition[] | undefined,
): UnionedCondition[] {
  const inputs = clusterOperatorInputs(configConditions, prunerConditions);
  return clusterOperatorUnions.map((u) => unionConditions(u.type, u.normalStatus, inputs));
}
