import { requestKey, type KubeObject, type Request } from './objects.ts';

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

/**
 * Read-your-own-writes over a lagging cache: remember what each write returned, read through `current`,
 * which yields the newer of the cache and the remembered write. Once the cache catches up (or someone
 * else writes after us, or the object is deleted or recreated), the cache wins and the memory is dropped,
 * so drift made by others is always seen and repaired.
 */
export class OwnWrites<T extends KubeObject = KubeObject> {
  private readonly written = new Map<string, T>();

  /** Remembers the object a write returned; returns it. */
  remember(obj: T): T {
    const name = obj.metadata?.name;
    if (name) this.written.set(requestKey({ name, ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}) }), obj);
    return obj;
  }

  /** The newer of `cached` and our last write of the same object. */
  current(key: Request, cached: T | undefined): T | undefined {
    const k = requestKey(key);
    const written = this.written.get(k);
    const out = newest(cached, written);
    if (out !== written) this.written.delete(k);
    return out;
  }

  /** Forgets the object (after deleting it). */
  forget(key: Request): void {
    this.written.delete(requestKey(key));
  }
}
