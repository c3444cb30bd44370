/** The three values a condition status can take, as in every Kubernetes and OpenShift API. */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/**
 * A condition as stored in `status.conditions` of our objects (OpenShift's `OperatorCondition` and
 * `ClusterOperatorStatusCondition` have this shape). `lastTransitionTime` is an RFC 3339 string, the
 * raw JSON form, never a `Date`.
 */
export interface Condition {
  type: string;
  status: ConditionStatus;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

/** What a controller decides: a condition without its transition time, which the helpers compute. */
export type DesiredCondition = Omit<Condition, 'lastTransitionTime'>;
