/** Raw Kubernetes JSON, exactly as the API server sends it: timestamps are strings, never `Date`. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update' | string;
  apiVersion?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
  time?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/**
 * What a reconcile is asked to do: converge one object, named by key. Never an event payload
 * (controller-runtime's `reconcile.Request`): the reconciler reads the cache for the current state.
 */
export interface Request {
  namespace?: string;
  name: string;
}

/** `namespace/name` for namespaced objects, `name` for cluster-scoped ones (client-go's key format). */
export function requestKey(req: Request): string {
  return req.namespace ? `${req.namespace}/${req.name}` : req.name;
}

export function parseRequestKey(key: string): Request {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The request that names `obj`; throws when the object has no name (it cannot be a cache entry). */
export function requestFor(obj: KubeObject): Request {
  const name = obj.metadata?.name;
  if (!name) throw new TypeError(`a ${obj.kind ?? 'object'} without metadata.name cannot be keyed`);
  const namespace = obj.metadata?.namespace;
  return namespace ? { namespace, name } : { name };
}

export function objectKey(obj: KubeObject): string {
  return requestKey(requestFor(obj));
}

/** The `group` part of an apiVersion (`''` for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** An owner reference to `owner` (a cached object: it must have apiVersion, kind, name and uid). */
export function ownerReference(owner: KubeObject, opts: { controller?: boolean; blockOwnerDeletion?: boolean } = {}): OwnerReference {
  const { apiVersion, kind } = owner;
  const name = owner.metadata?.name;
  const uid = owner.metadata?.uid;
  if (!apiVersion || !kind || !name || !uid) {
    throw new TypeError('an owner reference needs the owner as read from the API (apiVersion, kind, name, uid)');
  }
  return { apiVersion, kind, name, uid, controller: opts.controller ?? true, blockOwnerDeletion: opts.blockOwnerDeletion ?? true };
}
