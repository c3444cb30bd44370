import type { OperandVersion, RegistryDeployment } from './types.ts';

/** Deployment annotation that says which release the registry pods run (set by registry-workload). */
export const versionAnnotation = 'release.openshift.io/version';

/**
 * `status.versions` of the ClusterOperator. A new `operator` version may be reported only once it is
 * rolled out everywhere, so when the registry is Managed it waits for the Deployment to be available and
 * fully updated and reports the version that Deployment carries. When nothing new can be said, the
 * previous list is returned unchanged (an upgrade in flight keeps showing the old version).
 *
 * Upstream reads the version only from the Deployment annotation. Our apps are released together, so a
 * Deployment without the annotation (written by a registry-workload that does not set it) is taken to
 * run `releaseVersion` once it is rolled out.
 */
export function renderVersions(input: {
  managed: boolean;
  deployment: RegistryDeployment | undefined;
  releaseVersion: string;
  previous: readonly OperandVersion[] | undefined;
}): OperandVersion[] | undefined {
  let version = input.releaseVersion;
  if (input.managed) {
    if (!input.deployment || !isAvailableAndUpdated(input.deployment)) return copy(input.previous);
    version = input.deployment.metadata?.annotations?.[versionAnnotation] || input.releaseVersion;
  }
  if (version === '') return copy(input.previous);
  return [{ name: 'operator', version }];
}

/**
 * At least one replica is available, the controller has seen the latest spec, and no replica of an older
 * ReplicaSet remains (more may still be starting).
 */
export function isAvailableAndUpdated(deployment: RegistryDeployment): boolean {
  const status = deployment.status ?? {};
  return (
    !deployment.metadata?.deletionTimestamp &&
    (status.availableReplicas ?? 0) > 0 &&
    (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0) &&
    (status.updatedReplicas ?? 0) === (status.replicas ?? 0)
  );
}

function copy(versions: readonly OperandVersion[] | undefined): OperandVersion[] | undefined {
  return versions?.map((v) => ({ name: v.name, version: v.version }));
}
