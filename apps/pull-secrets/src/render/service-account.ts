import { pullSecretAnnotations } from '@image-registry/api';
import type { ServiceAccountObject } from '../resources.ts';

/**
 * A JSON merge patch of a ServiceAccount. `imagePullSecrets` is an atomic list, so a patch replaces it
 * whole; the resourceVersion makes the replacement fail (409) instead of dropping an entry someone added
 * since we read the SA. A merge patch never creates the SA again once it is deleted (an apply would).
 */
export interface ServiceAccountPatch {
  metadata: { resourceVersion: string; annotations?: Record<string, string> };
  imagePullSecrets?: { name: string }[];
}

const names = (sa: ServiceAccountObject) => (sa.imagePullSecrets ?? []).map((r) => r.name ?? '');

/** The patch that records `secretName` on the SA (annotation, imagePullSecrets entry), or undefined when both are there. */
export function injectPatch(sa: ServiceAccountObject, secretName: string): ServiceAccountPatch | undefined {
  const rv = sa.metadata?.resourceVersion;
  if (!rv) throw new TypeError('a ServiceAccount from the API always has a resourceVersion');
  const annotated = sa.metadata?.annotations?.[pullSecretAnnotations.pullSecretRef] === secretName;
  const listed = names(sa).includes(secretName);
  if (annotated && listed) return undefined;
  const patch: ServiceAccountPatch = { metadata: { resourceVersion: rv } };
  if (!annotated) patch.metadata.annotations = { [pullSecretAnnotations.pullSecretRef]: secretName };
  if (!listed) patch.imagePullSecrets = [...names(sa), secretName].map((name) => ({ name }));
  return patch;
}

/** The patch that drops `secretName` from imagePullSecrets (the annotation stays, as upstream), or undefined. */
export function removePatch(sa: ServiceAccountObject, secretName: string): ServiceAccountPatch | undefined {
  const rv = sa.metadata?.resourceVersion;
  if (!rv) throw new TypeError('a ServiceAccount from the API always has a resourceVersion');
  const current = names(sa);
  if (!current.includes(secretName)) return undefined;
  return { metadata: { resourceVersion: rv }, imagePullSecrets: current.filter((n) => n !== secretName).map((name) => ({ name })) };
}
