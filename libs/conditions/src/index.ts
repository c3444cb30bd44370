export type { Condition, ConditionStatus, DesiredCondition } from './types.ts';
export { formatTime } from './time.ts';
export {
  findCondition,
  hasStatus,
  isFalse,
  isTrue,
  isUnknown,
  removeCondition,
  setCondition,
  withTransitionTime,
} from './set.ts';
export { latestTransitionTime, unionConditions, unionMessage } from './union.ts';
export type { NormalStatus, UnionedCondition } from './union.ts';
export { libraryGoUnionConditions, newInertia } from './library-go-union.ts';
export type { Inertia, InertiaRule, LibraryGoUnionOptions } from './library-go-union.ts';
export {
  clusterOperatorInputs,
  clusterOperatorUnions,
  imagePrunerConditionPrefix,
  imageRegistryClusterOperatorConditions,
} from './cluster-operator.ts';
export { ConditionsApplyError, statusConditionsApply } from './apply.ts';
export type { StatusConditionsApply, StatusConditionsApplyOptions } from './apply.ts';
