import type { KubeClient, KubeObject, Request } from '@image-registry/controller-runtime';

/** A cache read (an informer's `get`). */
export interface Reader<T> {
  get(key: Request): T | undefined;
}

/** A cache listing (an informer's `list`). */
export interface Lister<T extends KubeObject> extends Reader<T> {
  list(): T[];
}

export type { KubeClient };
