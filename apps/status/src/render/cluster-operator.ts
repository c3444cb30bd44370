import {
  clusterOperatorUnions,
  findCondition,
  imageRegistryClusterOperatorConditions,
  withTransitionTime,
  formatTime,
  type Condition,
  type DesiredCondition,
} from '@image-registry/conditions';
import { relatedObjects } from './related-objects.ts';
import type { ClusterOperatorStatus, Pruner, RegistryConfig, RegistryDeployment } from './types.ts';
import { renderVersions } from './versions.ts';

export interface ClusterOperatorInputs {
  /** Config/cluster; undefined when it does not exist. */
  config: RegistryConfig | undefined;
  /** ImagePruner/cluster; undefined when it does not exist (its conditions then do not count). */
  pruner: Pruner | undefined;
  /** The registry Deployment `image-registry`; undefined when it does not exist. */
  deployment: RegistryDeployment | undefined;
  /** This release's version (`RELEASE_VERSION`); empty when unknown. */
  releaseVersion: string;
  /** The operand namespace, reported in relatedObjects. */
  namespace: string;
  /** The ClusterOperator's status as last observed, for transition times and versions. */
  previous: ClusterOperatorStatus | undefined;
  now: Date;
}

export const configMissingReason = 'ConfigMissing';
export const configMissingMessage =
  'The registry configuration configs.imageregistry.operator.openshift.io/cluster does not exist; ' +
  'registry-workload creates it when it starts, so check that it runs';

/**
 * The status of ClusterOperator `image-registry`: `Available`, `Progressing` and `Degraded` united from
 * every app's conditions on Config/cluster and ImagePruner/cluster, `versions`, and the fixed
 * `relatedObjects`. A condition's transition time moves only when its status does, so rendering the same
 * inputs twice gives the same status and the caller can skip the write.
 */
export function renderClusterOperatorStatus(inputs: ClusterOperatorInputs): ClusterOperatorStatus {
  const desired = inputs.config
    ? imageRegistryClusterOperatorConditions(
        withUnreported(inputs.config.status?.conditions ?? [], inputs.now),
        inputs.pruner?.status?.conditions,
      )
    : configMissing();
  const conditions = desired.map((d) =>
    withTransitionTime(desiredOf(d), findCondition(inputs.previous?.conditions, d.type), inputs.now),
  );
  const status: ClusterOperatorStatus = { conditions, relatedObjects: relatedObjects(inputs.namespace) };
  const managementState = inputs.config?.spec?.managementState;
  const versions = inputs.config
    ? renderVersions({
        managed: managementState !== 'Unmanaged' && managementState !== 'Removed',
        deployment: inputs.deployment,
        releaseVersion: inputs.releaseVersion,
        previous: inputs.previous?.versions,
      })
    : inputs.previous?.versions;
  if (versions && versions.length > 0) status.versions = versions.map((v) => ({ ...v }));
  return status;
}

/** Without a Config nothing definite can be said: every aggregate is Unknown, and says why. */
function configMissing(): DesiredCondition[] {
  return clusterOperatorUnions.map((u) => ({
    type: u.type,
    status: 'Unknown',
    reason: configMissingReason,
    message: configMissingMessage,
  }));
}

export const notReportedReason = 'NotReported';
export const notReportedMessage = 'registry-workload has not reported this condition yet; check that it runs';

/**
 * The Config conditions plus an Unknown stand-in for each of `Available`, `Progressing` and `Degraded`
 * that registry-workload has not written. Upstream's union calls a list without inputs healthy; upstream
 * writes those conditions in the same pass that creates the Config, but our apps run on their own, and a
 * registry nobody has reported on must not show as Available. A failing report from another app still
 * decides the status (the union puts False/True before Unknown).
 */
function withUnreported(conditions: readonly Condition[], now: Date): Condition[] {
  const missing = clusterOperatorUnions
    .filter((u) => !conditions.some((c) => c.type === u.type))
    .map((u): Condition => ({
      type: u.type,
      status: 'Unknown',
      lastTransitionTime: formatTime(now),
      reason: notReportedReason,
      message: notReportedMessage,
    }));
  return [...conditions, ...missing];
}

/** Drops the union's own transition time (the ClusterOperator's moves only with its own status) and an empty message. */
function desiredOf(c: DesiredCondition): DesiredCondition {
  const out: DesiredCondition = { type: c.type, status: c.status };
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}
