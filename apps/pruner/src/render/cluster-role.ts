import { imageRegistryGroup, resources } from '@image-registry/api';
import type { V1ClusterRole, V1PolicyRule } from '@kubernetes/client-node';
import type { JobFlavour } from './job-flavour.ts';
import { clusterRoleName, prunerName } from './names.ts';
import { prunerOwnerReference } from './owner.ts';
import type { Wire } from './wire.ts';

/** Upstream's `system:image-pruner` (§10.2): what `oc adm prune images` reads and deletes. */
const upstreamRules: V1PolicyRule[] = [
  { apiGroups: [''], resources: ['pods', 'replicationcontrollers'], verbs: ['get', 'list'] },
  { apiGroups: [''], resources: ['limitranges'], verbs: ['list'] },
  { apiGroups: ['build.openshift.io'], resources: ['buildconfigs', 'builds'], verbs: ['get', 'list'] },
  { apiGroups: ['apps.openshift.io'], resources: ['deploymentconfigs'], verbs: ['get', 'list'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list'] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: ['get', 'list'] },
  // Also what registry-auth checks before it lets the pruner DELETE a manifest.
  { apiGroups: ['image.openshift.io'], resources: ['images'], verbs: ['delete'] },
  { apiGroups: ['image.openshift.io'], resources: ['images', 'imagestreams'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['image.openshift.io'], resources: ['imagestreams/status'], verbs: ['update'] },
];

/**
 * Our prune command reads every repository through the registry, asks registry-workload for the read-only window (a condition on
 * Config/cluster's status) and reads the Config to find the storage; nothing else of the Config.
 */
const windowRules: V1PolicyRule[] = [
  // registry-auth's pull (manifests, config blobs): oc reads image metadata from the image API instead.
  { apiGroups: ['image.openshift.io'], resources: ['imagestreams/layers'], verbs: ['get'] },
  { apiGroups: [imageRegistryGroup], resources: [resources.config.plural], resourceNames: [prunerName], verbs: ['get'] },
  { apiGroups: [imageRegistryGroup], resources: [`${resources.config.plural}/status`], resourceNames: [prunerName], verbs: ['patch'] },
];

export function renderClusterRole(flavour: JobFlavour, ownerUid: string): Wire<V1ClusterRole> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: clusterRoleName, ownerReferences: [prunerOwnerReference(ownerUid)] },
    rules: flavour === 'registry-api' ? [...upstreamRules, ...windowRules] : upstreamRules,
  };
}
