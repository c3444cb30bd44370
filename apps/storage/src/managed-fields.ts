import type { ManagedFieldsEntry } from '@image-registry/controller-runtime';

/** Whether a managedFields entry (fieldsV1) names the field at `path` (`['spec', 'storage', 'managementState']`). */
function names(fields: unknown, path: readonly string[]): boolean {
  let node = fields;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return false;
    node = (node as Record<string, unknown>)[`f:${key}`];
  }
  return node !== undefined;
}

/** The field managers that own the field at `path` of the main resource (not a subresource). */
export function fieldOwners(
  managedFields: readonly ManagedFieldsEntry[] | undefined,
  path: readonly string[],
): string[] {
  return (managedFields ?? [])
    .filter((e) => (e.subresource ?? '') === '' && names(e.fieldsV1, path))
    .map((e) => e.manager ?? '');
}

/**
 * The field managers other than `self` that own the field at `path`. Tells a value the user chose
 * (another manager owns it) from one this app defaulted (only we own it).
 */
export function otherOwners(
  managedFields: readonly ManagedFieldsEntry[] | undefined,
  self: string,
  path: readonly string[],
): string[] {
  return fieldOwners(managedFields, path).filter((m) => m !== self);
}

/** The direct children of `path` that `manager` owns through server-side apply on the main resource. */
export function appliedChildren(
  managedFields: readonly ManagedFieldsEntry[] | undefined,
  manager: string,
  path: readonly string[],
): Set<string> {
  const out = new Set<string>();
  for (const e of managedFields ?? []) {
    if (e.manager !== manager || e.operation !== 'Apply' || (e.subresource ?? '') !== '') continue;
    let node: unknown = e.fieldsV1;
    for (const key of path)
      node =
        typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[`f:${key}`] : undefined;
    if (typeof node !== 'object' || node === null) continue;
    for (const k of Object.keys(node)) if (k.startsWith('f:')) out.add(k.slice(2));
  }
  return out;
}
