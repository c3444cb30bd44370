import type { V1ClusterRole } from '@kubernetes/client-node';
import { clusterRoleName } from './names.ts';
import { configOwnerReference } from './owner.ts';
import type { Wire } from './wire.ts';

/**
 * ClusterRole `system:registry` (upstream-inventory §6.3): what OpenShift's registry reads and writes
 * in the image API. Harmless where that API does not exist.
 */
export function renderClusterRole(ownerUid: string): Wire<V1ClusterRole> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: clusterRoleName, ownerReferences: [configOwnerReference(ownerUid)] },
    rules: [
      { apiGroups: [''], resources: ['limitranges', 'resourcequotas'], verbs: ['list'] },
      {
        apiGroups: ['image.openshift.io'],
        resources: ['imagestreamimages', 'imagestreams/layers', 'imagestreams/secrets'],
        verbs: ['get'],
      },
      { apiGroups: ['image.openshift.io'], resources: ['imagestreams'], verbs: ['get', 'update'] },
      { apiGroups: ['image.openshift.io'], resources: ['imagestreamtags'], verbs: ['delete'] },
      { apiGroups: ['image.openshift.io'], resources: ['images'], verbs: ['get', 'update', 'create'] },
      { apiGroups: ['image.openshift.io'], resources: ['imagestreammappings'], verbs: ['create'] },
      { apiGroups: ['operator.openshift.io'], resources: ['imagecontentsourcepolicies'], verbs: ['list'] },
      { apiGroups: ['config.openshift.io'], resources: ['imagedigestmirrorsets', 'imagetagmirrorsets'], verbs: ['list'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    ],
  };
}
