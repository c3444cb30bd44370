import type { Request } from '@image-registry/controller-runtime';
import type { StoreQuery } from './store-query.ts';

/** A cache read (an informer's `get`). */
export interface Reader<T> {
  get(key: Request): T | undefined;
}

/** A cache with the lookups the loops use. */
export interface Lister<T> extends Reader<T> {
  list(query?: StoreQuery): T[];
  byOwner(uid: string): T[];
}
