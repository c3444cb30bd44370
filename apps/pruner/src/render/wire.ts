import type { ObjectMeta } from '@image-registry/controller-runtime';

/**
 * A client-node model as it travels as JSON (timestamps are strings there). Renderers return this,
 * so their output goes straight into a server-side apply.
 */
export type Wire<T extends { metadata?: unknown }> = Omit<T, 'metadata' | 'status' | 'apiVersion' | 'kind'> & {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
};
