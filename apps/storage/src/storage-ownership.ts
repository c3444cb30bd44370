import type { ManagedFieldsEntry } from '@image-registry/controller-runtime';
import { fieldOwners, otherOwners } from './managed-fields.ts';
import { backendOf, nameField, storageIdentity } from './published.ts';
import type { Backend, StorageSpec } from './storage-types.ts';

/** Another field manager (the admin) set `spec.storage.managementState`: their choice stands. */
export function managementStateChosenByUser(
  managedFields: readonly ManagedFieldsEntry[] | undefined,
  fieldManager: string,
): boolean {
  return otherOwners(managedFields, fieldManager, ['spec', 'storage', 'managementState']).length > 0;
}

/** `status.storage` names other storage than the spec now does (a switch of backend or bucket). */
export function identityChanged(published: StorageSpec, backend: Backend, completed: unknown): boolean {
  if (!backendOf(published)) return false;
  return storageIdentity(published) !== storageIdentity({ [backend]: completed } as StorageSpec);
}

/** Only this app ever set the storage name: it generated it. */
export function nameIsOurs(
  managedFields: readonly ManagedFieldsEntry[] | undefined,
  fieldManager: string,
  backend: Backend,
): boolean {
  const path = nameField(backend);
  if (!path) return true;
  const owners = fieldOwners(managedFields, path);
  return owners.length > 0 && owners.every((m) => m === fieldManager);
}
