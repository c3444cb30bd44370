import type { V1ClusterRoleBinding } from '@kubernetes/client-node';
import { clusterRoleBindingName, clusterRoleName, serviceAccountName } from './names.ts';
import { prunerOwnerReference } from './owner.ts';
import type { Wire } from './wire.ts';

/** `openshift-image-registry-pruner`: SA `pruner` → `system:image-pruner` (§10.2). */
export function renderClusterRoleBinding(namespace: string, ownerUid: string): Wire<V1ClusterRoleBinding> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: clusterRoleBindingName, ownerReferences: [prunerOwnerReference(ownerUid)] },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
    subjects: [{ kind: 'ServiceAccount', name: serviceAccountName, namespace }],
  };
}
