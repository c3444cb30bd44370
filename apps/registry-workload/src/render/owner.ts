import type { V1OwnerReference } from '@kubernetes/client-node';
import { configApiVersion, configKind, configName } from './names.ts';

/**
 * The owner reference every object of this app carries, so deleting `Config/cluster` lets the
 * garbage collector remove them (ARCHITECTURE "managementState").
 */
export function configOwnerReference(uid: string, name = configName): V1OwnerReference {
  return { apiVersion: configApiVersion, kind: configKind, name, uid, controller: true, blockOwnerDeletion: true };
}
