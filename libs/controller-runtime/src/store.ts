import { parseLabelSelector } from './label-selector.ts';
import { objectKey, type KubeObject } from './objects.ts';

export interface StoreQuery {
  /** Only objects in this namespace. */
  namespace?: string;
  /** Only objects whose labels match (Kubernetes selector syntax). */
  labelSelector?: string;
}

/** The informer's cache: objects by key, indexed by namespace, owner UID and chosen label keys. */
export class Store<T extends KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly byNamespace = new Map<string, Set<string>>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly byLabel = new Map<string, Set<string>>();
  private readonly indexLabels: readonly string[];

  constructor(indexLabels: readonly string[] = []) {
    this.indexLabels = indexLabels;
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  keys(): IterableIterator<string> {
    return this.items.keys();
  }

  values(): IterableIterator<T> {
    return this.items.values();
  }

  /** Inserts or replaces; returns the previous object. */
  set(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    this.index(key, obj);
    return old;
  }

  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (old) {
      this.items.delete(key);
      this.unindex(key, old);
    }
    return old;
  }

  list(query: StoreQuery = {}): T[] {
    const keys = query.namespace === undefined ? this.items.keys() : (this.byNamespace.get(query.namespace) ?? []);
    const match = query.labelSelector ? parseLabelSelector(query.labelSelector) : undefined;
    const out: T[] = [];
    for (const key of keys) {
      const obj = this.items.get(key);
      if (obj && (!match || match(obj.metadata?.labels))) out.push(obj);
    }
    return out;
  }

  /** Objects with an owner reference to this UID. */
  ownedBy(uid: string): T[] {
    return this.resolve(this.byOwner.get(uid));
  }

  /** Objects carrying label `key=value`; `key` must be one of the indexed label keys. */
  labelled(key: string, value: string): T[] {
    if (!this.indexLabels.includes(key)) {
      throw new Error(`label "${key}" is not indexed: add it to the informer's indexLabels, or use list({ labelSelector })`);
    }
    return this.resolve(this.byLabel.get(`${key}=${value}`));
  }

  private resolve(keys: Set<string> | undefined): T[] {
    const out: T[] = [];
    for (const key of keys ?? []) {
      const obj = this.items.get(key);
      if (obj) out.push(obj);
    }
    return out;
  }

  private index(key: string, obj: T): void {
    add(this.byNamespace, obj.metadata?.namespace ?? '', key);
    for (const ref of obj.metadata?.ownerReferences ?? []) add(this.byOwner, ref.uid, key);
    for (const label of this.indexLabels) {
      const value = obj.metadata?.labels?.[label];
      if (value !== undefined) add(this.byLabel, `${label}=${value}`, key);
    }
  }

  private unindex(key: string, obj: T): void {
    remove(this.byNamespace, obj.metadata?.namespace ?? '', key);
    for (const ref of obj.metadata?.ownerReferences ?? []) remove(this.byOwner, ref.uid, key);
    for (const label of this.indexLabels) {
      const value = obj.metadata?.labels?.[label];
      if (value !== undefined) remove(this.byLabel, `${label}=${value}`, key);
    }
  }
}

function add(index: Map<string, Set<string>>, value: string, key: string): void {
  let set = index.get(value);
  if (!set) index.set(value, (set = new Set()));
  set.add(key);
}

function remove(index: Map<string, Set<string>>, value: string, key: string): void {
  const set = index.get(value);
  if (!set) return;
  set.delete(key);
  if (set.size === 0) index.delete(value);
}
