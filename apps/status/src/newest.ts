import type { KubeObject } from '@image-registry/controller-runtime';

/**
 * The more recent of a cached object and one this process wrote, by resourceVersion. The API server
 * hands out etcd revisions, integers that only grow; client-go's mutation cache relies on that too.
 * When a version is not an integer, or the objects are different incarnations (uid), the cache wins.
 */
export function newest<T extends KubeObject>(cached: T | undefined, written: T | undefined): T | undefined {
  if (!written) return cached;
  if (!cached) return undefined; // deleted since we wrote it: the cache is the truth
  if (cached.metadata?.uid !== written.metadata?.uid) return cached;
  const c = revision(cached);
  const w = revision(written);
  return c !== undefined && w !== undefined && w > c ? written : cached;
}

function revision(obj: KubeObject): bigint | undefined {
  const rv = obj.metadata?.resourceVersion;
  return rv && /^\d+$/.test(rv) ? BigInt(rv) : undefined;
}
