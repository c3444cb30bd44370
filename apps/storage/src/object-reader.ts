import type { KubeObject, Request, ResourceType } from '@image-registry/controller-runtime';

/** Reads objects the reconcile depends on: the informer caches in the app. */
export interface ObjectReader {
  get<T extends KubeObject>(res: ResourceType<T>, key: Request): T | undefined | Promise<T | undefined>;
}
