import { KubeApiError, type KubeClient, type KubeObject, type Logger } from '@image-registry/controller-runtime';
import { findDrift, withoutDrift } from './drift.ts';
import type { OwnedKind } from './resources.ts';

/**
 * Converges one owned object: a server-side apply (skipped by the client when the cache shows it
 * would change nothing), then, if another manager added fields inside what this app renders, a PUT
 * that removes them. At steady state this sends nothing.
 */
export async function ensureObject<T extends KubeObject>(client: KubeClient, kind: OwnedKind, desired: T, log: Logger): Promise<T> {
  const applied = (await client.apply(kind.res, desired)) as T;
  const drift = findDrift(applied, desired, client.fieldManager, kind.scope);
  if (drift.length === 0) return applied;
  log.info(
    { kind: kind.res.kind, name: desired.metadata?.name, editedBy: [...new Set(drift.map((d) => d.manager))], fields: drift.map((d) => d.path.join('.')) },
    'removing fields another manager added inside an object this app renders',
  );
  return (await client.update(kind.res, withoutDrift(applied, drift))) as T;
}

/**
 * `desired` bound to the incarnation it was planned from: `metadata.uid` in a server-side apply is a
 * precondition, so content planned from an object that was deleted since (a user rotating a certificate)
 * is refused instead of re-creating that object with the old content. Planned from nothing: no uid.
 */
export function plannedFrom<T extends KubeObject>(desired: T, basis: KubeObject | undefined): T {
  const uid = basis?.metadata?.uid;
  return uid ? { ...desired, metadata: { ...desired.metadata, uid } } : desired;
}

/**
 * The apply was refused because the object it was planned from is gone: kube-apiserver answers 409
 * (`uid mismatch … no existing object was found`) when it was deleted, 422 (`metadata.uid: field is
 * immutable`) when another incarnation took its name.
 */
export function isStalePlan(err: unknown): boolean {
  if (!(err instanceof KubeApiError) || err.verb !== 'apply') return false;
  if (err.status === 409) return err.reason === 'Conflict' && /uid/i.test(err.body?.message ?? '');
  return err.status === 422 && (err.body?.details?.causes ?? []).some((c) => c.field === 'metadata.uid');
}

/** True when `obj` carries the controller owner reference to the Config with this uid. */
export function ownedByConfig(obj: KubeObject | undefined, configUid: string | undefined): boolean {
  return (obj?.metadata?.ownerReferences ?? []).some((r) => r.kind === 'Config' && r.controller === true && (configUid === undefined || r.uid === configUid));
}

/**
 * Deletes an object this app created, seen in the cache; never one someone else created under the
 * same name. Foreground: the Deployment is reported as being removed until its pods are gone.
 */
export async function removeOwned(client: KubeClient, kind: OwnedKind, cached: KubeObject | undefined, log: Logger): Promise<boolean> {
  if (!cached?.metadata?.name || cached.metadata.deletionTimestamp) return false;
  if (!ownedByConfig(cached, undefined)) return false;
  const key = cached.metadata.namespace ? { namespace: cached.metadata.namespace, name: cached.metadata.name } : { name: cached.metadata.name };
  const deleted = await client.delete(kind.res, key, {
    propagationPolicy: 'Foreground',
    ...(cached.metadata.uid ? { preconditions: { uid: cached.metadata.uid } } : {}),
  });
  if (deleted) log.info({ kind: kind.res.kind, name: cached.metadata.name }, 'removed');
  return deleted;
}
