import { imagePrunerGroupVersion } from '@image-registry/api';
import type { OwnerReference } from '@image-registry/controller-runtime';
import { prunerName } from './names.ts';

/**
 * Every object of the pruner is owned by ImagePruner/cluster: deleting it lets the garbage collector
 * remove them, and the bootstrap then starts again from upstream's defaults.
 */
export function prunerOwnerReference(uid: string): OwnerReference {
  return { apiVersion: imagePrunerGroupVersion, kind: 'ImagePruner', name: prunerName, uid, controller: true, blockOwnerDeletion: false };
}
