import type { Logger } from '@image-registry/controller-runtime';
import { invalidRepositoryName, invalidTagName, type ScannedRepository, type ScannedTag } from './plan.ts';
import { InvalidReferenceError, type Manifest, type RegistryApi } from './registry-api.ts';

/** Runs `fn` over `items` with at most `limit` at once, keeping the order of the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export interface ScanOptions {
  api: RegistryApi;
  log: Logger;
  /** Repositories scanned at once (default 8). */
  concurrency?: number;
}

/** Every repository with every tag resolved to its manifest, references and creation time. */
export async function scanRegistry(opts: ScanOptions): Promise<ScannedRepository[]> {
  const names = await opts.api.repositories();
  opts.log.info({ repositories: names.length }, 'listed the repositories');
  return mapLimit(names, opts.concurrency ?? 8, (name) => scanRepository(opts, name));
}

async function scanRepository(opts: ScanOptions, name: string): Promise<ScannedRepository> {
  const badName = invalidRepositoryName(name);
  // A name the registry should never hold is not put into a URL.
  if (badName) return { name, tags: [], invalid: badName };
  const tags = await opts.api.tags(name);
  const scanned: ScannedTag[] = [];
  // One repository's tags one after another: the parallelism is across repositories.
  for (const tag of tags) scanned.push(await scanTag(opts, name, tag));
  return { name, tags: scanned };
}

async function scanTag(opts: ScanOptions, repo: string, tag: string): Promise<ScannedTag> {
  const badTag = invalidTagName(tag);
  if (badTag) return { tag, invalid: badTag };
  try {
    const manifest = await opts.api.manifest(repo, tag);
    if (!manifest) return { tag, invalid: `manifest ${repo}:${tag} does not exist (deleted while scanning?)` };
    const { created, references } = await describe(opts.api, repo, manifest);
    return { tag, digest: manifest.digest, created, references, size: manifest.size };
  } catch (err) {
    if (err instanceof InvalidReferenceError) return { tag, invalid: err.message };
    throw err;
  }
}

/** An image's creation time and every digest it needs; for an index, over the manifests it lists. */
async function describe(api: RegistryApi, repo: string, manifest: Manifest): Promise<{ created: Date | undefined; references: { digest: string; size: number }[] }> {
  if (manifest.config) {
    const created = await api.created(repo, manifest.config.digest);
    return { created, references: [manifest.config, ...manifest.layers] };
  }
  let created: Date | undefined;
  const references: { digest: string; size: number }[] = [];
  for (const child of manifest.children) {
    references.push(child);
    const m = await api.manifest(repo, child.digest);
    if (!m) throw new InvalidReferenceError(`index ${repo}@${manifest.digest} lists ${child.digest}, which does not exist`);
    const inner = await describe(api, repo, m);
    references.push(...inner.references);
    if (inner.created && (!created || inner.created > created)) created = inner.created;
  }
  return { created, references };
}
