import type { V1ServiceAccount } from '@kubernetes/client-node';
import { serviceAccountName } from './names.ts';
import { prunerOwnerReference } from './owner.ts';
import type { Wire } from './wire.ts';

/** ServiceAccount `pruner`: the prune job's identity, toward the API and the registry. */
export function renderServiceAccount(namespace: string, ownerUid: string): Wire<V1ServiceAccount> {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: serviceAccountName, namespace, ownerReferences: [prunerOwnerReference(ownerUid)] },
  };
}
