import type { ObjectReference } from './types.ts';

/**
 * Everything must-gather style tools should collect for the registry, in upstream's order. Fixed: the
 * list names the singletons and the cluster-scoped RBAC, and the operand namespace (which holds every
 * namespaced object of every app).
 */
export function relatedObjects(namespace: string): ObjectReference[] {
  return [
    { group: 'imageregistry.operator.openshift.io', resource: 'configs', name: 'cluster' },
    { group: 'imageregistry.operator.openshift.io', resource: 'imagepruners', name: 'cluster' },
    { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'system:registry' },
    { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', name: 'registry-registry-role' },
    {
      group: 'rbac.authorization.k8s.io',
      resource: 'clusterrolebindings',
      name: 'openshift-image-registry-pruner',
    },
    { group: '', resource: 'namespaces', name: namespace },
  ];
}
