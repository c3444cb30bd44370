import type {
  ClusterOperatorStatus as ApiClusterOperatorStatus,
  ConfigSpec,
  ConfigStatus,
  ImagePrunerStatus,
} from '@image-registry/api';
import type { ObjectMeta } from '@image-registry/controller-runtime';
import type { V1DeploymentStatus } from '@kubernetes/client-node';

/**
 * The parts of each object the status app reads or writes, picked from the API types so a schema change
 * shows up here at compile time. Reading only these keeps the app indifferent to everything else in
 * the objects (the API server has validated them against the CRDs already).
 */

/** What the status app writes of `ClusterOperator.status`. */
export type ClusterOperatorStatus = Pick<
  ApiClusterOperatorStatus,
  'conditions' | 'versions' | 'relatedObjects'
>;
export type ObjectReference = NonNullable<ApiClusterOperatorStatus['relatedObjects']>[number];
export type OperandVersion = NonNullable<ApiClusterOperatorStatus['versions']>[number];

/** What the status app reads of Config/cluster. */
export interface RegistryConfig {
  spec?: Pick<ConfigSpec, 'managementState'>;
  status?: Pick<ConfigStatus, 'conditions'>;
}

/** What the status app reads of ImagePruner/cluster. */
export interface Pruner {
  status?: Pick<ImagePrunerStatus, 'conditions'>;
}

/** What the status app reads of the registry Deployment (raw JSON: timestamps are strings). */
export interface RegistryDeployment {
  metadata?: Pick<ObjectMeta, 'generation' | 'annotations' | 'deletionTimestamp'>;
  status?: Pick<
    V1DeploymentStatus,
    'replicas' | 'updatedReplicas' | 'availableReplicas' | 'observedGeneration'
  >;
}
