import { clusterOperatorName, resources, singletonName } from '@image-registry/api';
import { resource, type KubeObject, type ObjectMeta } from '@image-registry/controller-runtime';
import type { ClusterOperatorStatus, Pruner, RegistryConfig, RegistryDeployment } from './render/types.ts';

/** The singletons the status app reads and writes (reference/upstream-inventory.md §0). */
export const names = {
  clusterOperator: clusterOperatorName,
  config: singletonName,
  pruner: singletonName,
  deployment: 'image-registry',
} as const;

export interface ConfigObject extends KubeObject, RegistryConfig {}
export interface ImagePrunerObject extends KubeObject, Pruner {}
export interface DeploymentObject extends KubeObject, RegistryDeployment {
  metadata?: ObjectMeta;
}
export interface ClusterOperatorObject extends KubeObject {
  spec?: Record<string, unknown>;
  status?: ClusterOperatorStatus;
}

export const ConfigResource = apiResource<ConfigObject>(resources.config);

export const ImagePrunerResource = apiResource<ImagePrunerObject>(resources.imagePruner);

export const ClusterOperatorResource = apiResource<ClusterOperatorObject>(resources.clusterOperator);

export const DeploymentResource = resource<DeploymentObject>({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
});

/** A client ResourceType from the API's table of resources. */
function apiResource<T extends KubeObject>(r: {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}) {
  return resource<T>({
    apiVersion: `${r.group}/${r.version}`,
    kind: r.kind,
    plural: r.plural,
    namespaced: r.namespaced,
  });
}
