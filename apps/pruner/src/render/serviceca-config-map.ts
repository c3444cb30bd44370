import type { V1ConfigMap } from '@kubernetes/client-node';
import { injectCABundleAnnotation, serviceCAConfigMapName } from './names.ts';
import type { Wire } from './wire.ts';

/**
 * ConfigMap `serviceca` with only the service-ca injection annotation (§9.1). Applied only where
 * OpenShift's service-ca runs; elsewhere registry-workload writes this ConfigMap with its own CA, and
 * the job mounts it either way. No owner reference: registry-workload owns it too, and the two
 * managers share the annotation without conflict.
 */
export function renderServiceCAConfigMap(namespace: string): Wire<V1ConfigMap> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: serviceCAConfigMapName, namespace, annotations: { [injectCABundleAnnotation]: 'true' } },
  };
}
