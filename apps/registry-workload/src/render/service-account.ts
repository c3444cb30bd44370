import type { V1ServiceAccount } from '@kubernetes/client-node';
import { serviceAccountName } from './names.ts';
import { configOwnerReference } from './owner.ts';
import type { Wire } from './wire.ts';

/** ServiceAccount `registry`, the registry pods' identity (upstream-inventory §6.2). */
export function renderServiceAccount(namespace: string, ownerUid: string): Wire<V1ServiceAccount> {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: serviceAccountName, namespace, ownerReferences: [configOwnerReference(ownerUid)] },
  };
}
