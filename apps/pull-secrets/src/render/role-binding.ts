import { imagePullerClusterRole, imagePullersRoleBinding, pullSecretsManagedLabel } from '@image-registry/api';
import type { RoleBindingObject } from '../resources.ts';

/** `system:image-pullers` in `namespace`: its ServiceAccounts may pull its images (OCM's image-puller-rolebindings). */
export function renderImagePullers(namespace: string): RoleBindingObject & { metadata: { name: string; namespace: string } } {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: {
      name: imagePullersRoleBinding,
      namespace,
      labels: { [pullSecretsManagedLabel.key]: pullSecretsManagedLabel.value },
      annotations: { 'openshift.io/description': 'Allows all pods in this namespace to pull images from this namespace.' },
    },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: imagePullerClusterRole },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `system:serviceaccounts:${namespace}` }],
  };
}

/** Whether the cached binding already is what renderImagePullers gives (so no write is needed). */
export function imagePullersUpToDate(current: RoleBindingObject | undefined, desired: RoleBindingObject): boolean {
  if (!current) return false;
  const key = pullSecretsManagedLabel.key;
  const desc = 'openshift.io/description';
  const ref = (r: RoleBindingObject['roleRef']) => `${r?.apiGroup ?? ''}/${r?.kind ?? ''}/${r?.name ?? ''}`;
  const subjects = (b: RoleBindingObject) =>
    (b.subjects ?? []).map((s) => `${s.apiGroup ?? ''}/${s.kind ?? ''}/${s.name ?? ''}/${s.namespace ?? ''}`).join(',');
  return (
    current.metadata?.labels?.[key] === desired.metadata?.labels?.[key] &&
    current.metadata?.annotations?.[desc] === desired.metadata?.annotations?.[desc] &&
    ref(current.roleRef) === ref(desired.roleRef) &&
    subjects(current) === subjects(desired)
  );
}
