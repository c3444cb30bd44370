import { pullSecretAnnotations } from '@image-registry/api';
import type { ObjectMeta } from '@image-registry/controller-runtime';
import { summarizeDockercfg } from './render/dockercfg.ts';
import type { NamespaceObject, PullSecretObject, ServiceAccountObject } from './resources.ts';

/*
 * Informer transforms: this app caches every ServiceAccount and every managed pull secret of the
 * cluster, so each cached object keeps only what a reconcile reads. managedFields go (the reconcilers
 * decide no-ops themselves), other managers' annotations go, and a secret's tokens become a summary.
 */

function identity(m: ObjectMeta | undefined): ObjectMeta {
  const out: ObjectMeta = {};
  if (m?.name !== undefined) out.name = m.name;
  if (m?.namespace !== undefined) out.namespace = m.namespace;
  if (m?.uid !== undefined) out.uid = m.uid;
  if (m?.resourceVersion !== undefined) out.resourceVersion = m.resourceVersion;
  if (m?.creationTimestamp !== undefined) out.creationTimestamp = m.creationTimestamp;
  if (m?.deletionTimestamp !== undefined) out.deletionTimestamp = m.deletionTimestamp;
  return out;
}

function pick(from: Record<string, string> | undefined, keys: readonly string[]): Record<string, string> | undefined {
  if (!from) return undefined;
  let out: Record<string, string> | undefined;
  for (const k of keys) {
    const v = from[k];
    if (v !== undefined) (out ??= {})[k] = v;
  }
  return out;
}

export function leanServiceAccount(sa: ServiceAccountObject): ServiceAccountObject {
  const metadata = identity(sa.metadata);
  const annotations = pick(sa.metadata?.annotations, [pullSecretAnnotations.pullSecretRef]);
  if (annotations) metadata.annotations = annotations;
  const out: ServiceAccountObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata };
  if (sa.imagePullSecrets) out.imagePullSecrets = sa.imagePullSecrets.map((r) => ({ name: r.name ?? '' }));
  return out;
}

const secretAnnotations = [pullSecretAnnotations.serviceAccount, pullSecretAnnotations.binding] as const;

export function leanPullSecret(secret: PullSecretObject): PullSecretObject {
  const m = secret.metadata;
  const metadata = identity(m);
  if (m?.labels) metadata.labels = { ...m.labels };
  const annotations = pick(m?.annotations, secretAnnotations);
  if (annotations) metadata.annotations = annotations;
  if (m?.ownerReferences) metadata.ownerReferences = m.ownerReferences.map((r) => ({ ...r }));
  const out: PullSecretObject = { apiVersion: 'v1', kind: 'Secret', metadata };
  if (secret.type !== undefined) out.type = secret.type;
  out.summary = secret.summary ?? summarizeDockercfg(secret.data?.['.dockercfg']);
  return out;
}

export function leanNamespace(ns: NamespaceObject): NamespaceObject {
  const out: NamespaceObject = { apiVersion: 'v1', kind: 'Namespace', metadata: identity(ns.metadata) };
  if (ns.status?.phase) out.status = { phase: ns.status.phase };
  return out;
}
