import type { V1Role, V1RoleBinding } from '@kubernetes/client-node';
import { cronJobName, privateConfigurationSecretName, serviceAccountName } from './names.ts';
import { prunerOwnerReference } from './owner.ts';
import type { Wire } from './wire.ts';

/**
 * Role `image-pruner` (our prune command only): the storage credentials garbage collection needs,
 * by name, in the operand namespace. Upstream's oc never touches storage, so it has no such Role.
 */
export function renderJobRole(namespace: string, ownerUid: string): Wire<V1Role> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: cronJobName, namespace, ownerReferences: [prunerOwnerReference(ownerUid)] },
    rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [privateConfigurationSecretName], verbs: ['get'] }],
  };
}

export function renderJobRoleBinding(namespace: string, ownerUid: string): Wire<V1RoleBinding> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: cronJobName, namespace, ownerReferences: [prunerOwnerReference(ownerUid)] },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: cronJobName },
    subjects: [{ kind: 'ServiceAccount', name: serviceAccountName, namespace }],
  };
}
