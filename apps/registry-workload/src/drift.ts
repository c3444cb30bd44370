import type { KubeObject, ManagedFieldsEntry } from '@image-registry/controller-runtime';

/**
 * Hand edits that server-side apply cannot undo. A force-apply takes back every field this app sets,
 * but it never removes what another manager added next to them (an extra env var or port, a rule).
 * Those additions show up as another manager owning fields inside the parts of the object this app
 * renders; this finds them.
 */
export function foreignOwners(obj: KubeObject, fieldManager: string, scope: readonly string[]): ManagedFieldsEntry[] {
  return (obj.metadata?.managedFields ?? []).filter((e) => {
    if (e.manager === fieldManager) return false;
    // Status is the controllers' own business; scale is caught by the force-apply of spec.replicas.
    if (e.subresource === 'status') return false;
    const fields = e.fieldsV1 ?? {};
    return scope.some((top) => `f:${top}` in fields);
  });
}

/**
 * A full replacement (PUT) that drops the foreign additions: the live object with the scoped
 * top-level fields set to `desired`'s, and the foreign managers' claims removed, so that afterwards
 * this app is the only owner of those fields and later applies stay no-ops. The resourceVersion is
 * kept: a concurrent change makes the PUT fail with a conflict and the reconcile retry.
 */
export function driftRepair<T extends KubeObject>(live: T, desired: T, foreign: readonly ManagedFieldsEntry[], scope: readonly string[]): T {
  const out: Record<string, unknown> = { ...(live as Record<string, unknown>) };
  const wanted = desired as Record<string, unknown>;
  for (const top of scope) {
    if (wanted[top] === undefined) delete out[top];
    else out[top] = wanted[top];
  }
  const managedFields = (live.metadata?.managedFields ?? []).filter((e) => !foreign.includes(e));
  out['metadata'] = { ...live.metadata, managedFields };
  return out as T;
}
