import type { V1Service } from '@kubernetes/client-node';
import { annotations, containerPort, registryLabels, registryName, tlsSecretName } from './names.ts';
import { configOwnerReference } from './owner.ts';
import type { Wire } from './wire.ts';

/**
 * Service `image-registry` on port 5000 (upstream-inventory §6.1). Where OpenShift's service-ca runs,
 * its annotation asks for the serving certificate; otherwise this app issues it itself.
 */
export function renderService(namespace: string, ownerUid: string, serviceCA: boolean): Wire<V1Service> {
  const metadata: Wire<V1Service>['metadata'] = {
    name: registryName,
    namespace,
    labels: { ...registryLabels },
    ownerReferences: [configOwnerReference(ownerUid)],
  };
  if (serviceCA) metadata.annotations = { [annotations.servingCertSecretName]: tlsSecretName };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: {
      selector: { ...registryLabels },
      ports: [{ name: `${containerPort}-tcp`, port: containerPort, protocol: 'TCP', targetPort: containerPort }],
    },
  };
}

/** The names clients use for the registry inside the cluster: the serving certificate's SANs. */
export function serviceHostnames(namespace: string): string[] {
  return [`${registryName}.${namespace}.svc`, `${registryName}.${namespace}.svc.cluster.local`];
}
