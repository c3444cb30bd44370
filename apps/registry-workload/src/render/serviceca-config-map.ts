import type { V1ConfigMap } from '@kubernetes/client-node';
import { annotations, serviceCAConfigMapName, serviceCAKey } from './names.ts';
import { configOwnerReference } from './owner.ts';
import type { Wire } from './wire.ts';

/**
 * ConfigMap `serviceca`: the CA that signs the registry's serving certificate, which node-ca and
 * pull-secrets distribute. With OpenShift's service-ca it only carries the injection annotation (the
 * data is service-ca's); otherwise it holds this app's CA bundle under `service-ca.crt`.
 */
export function renderServiceCAConfigMap(namespace: string, ownerUid: string, caBundle: string | undefined): Wire<V1ConfigMap> {
  const cm: Wire<V1ConfigMap> = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: serviceCAConfigMapName, namespace, ownerReferences: [configOwnerReference(ownerUid)] },
  };
  if (caBundle === undefined) {
    cm.metadata = { ...cm.metadata, annotations: { [annotations.injectCABundle]: 'true' } };
  } else {
    cm.data = { [serviceCAKey]: caBundle };
  }
  return cm;
}
