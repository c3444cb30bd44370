/** One tag as the scan found it. */
export interface ScannedTag {
  tag: string;
  /** Manifest digest; undefined when the tag could not be resolved (invalid). */
  digest?: string | undefined;
  /** Image creation time from the config; undefined when unknown (sorts as oldest). */
  created?: Date | undefined;
  /** Why the tag is an invalid reference (unparseable manifest, missing config…). */
  invalid?: string | undefined;
  /** Digests this tag's manifest references besides itself: blobs, and for an index its manifests. */
  references?: readonly { digest: string; size: number }[];
  /** Size of the manifest itself. */
  size?: number;
}

export interface ScannedRepository {
  name: string;
  tags: ScannedTag[];
  /** Why the repository as a whole is invalid (a name the registry should not have). */
  invalid?: string | undefined;
}

export interface PruneRules {
  /** How many of the newest tags of each repository stay. */
  keepTagRevisions: number;
  /** Tags younger than this many milliseconds stay. */
  keepYoungerThanMs: number;
  now: Date;
}

export interface RepositoryPlan {
  name: string;
  keep: string[];
  /** Manifests to delete by digest, with the tags they carry. */
  delete: { digest: string; tags: string[] }[];
  invalid: { tag: string; reason: string }[];
}

export interface PrunePlan {
  repositories: RepositoryPlan[];
  /** Blobs that only deleted manifests reference: what garbage collection can give back. */
  reclaimable: Map<string, number>;
  invalid: { reference: string; reason: string }[];
}

const tagPattern = /^[\w][\w.-]{0,127}$/;
const repositoryPattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** Why a repository name is not a valid reference, or undefined. */
export function invalidRepositoryName(name: string): string | undefined {
  if (name.length > 255 || !repositoryPattern.test(name)) return `repository name ${JSON.stringify(name)} is not a valid reference`;
  return undefined;
}

/** Why a tag is not a valid reference, or undefined. */
export function invalidTagName(tag: string): string | undefined {
  return tagPattern.test(tag) ? undefined : `tag ${JSON.stringify(tag)} is not a valid reference`;
}

/**
 * Which manifests go, per repository: its valid tags newest first, the first `keepTagRevisions` stay,
 * and so does every tag younger than `keepYoungerThanMs`. A manifest is deleted only when no kept tag
 * of the repository points at it or (for an index) lists it. Invalid tags are never deleted: what
 * cannot be read cannot be judged.
 */
export function planPrune(repositories: readonly ScannedRepository[], rules: PruneRules): PrunePlan {
  const plans: RepositoryPlan[] = [];
  const invalid: PrunePlan['invalid'] = [];
  const keptBlobs = new Set<string>();
  const deletedBlobs = new Map<string, number>();
  const youngSince = rules.now.getTime() - rules.keepYoungerThanMs;

  for (const repo of repositories) {
    const plan: RepositoryPlan = { name: repo.name, keep: [], delete: [], invalid: [] };
    plans.push(plan);
    if (repo.invalid) {
      invalid.push({ reference: repo.name, reason: repo.invalid });
      plan.keep.push(...repo.tags.map((t) => t.tag));
      for (const t of repo.tags) for (const r of t.references ?? []) keptBlobs.add(r.digest);
      continue;
    }
    const valid: (ScannedTag & { digest: string })[] = [];
    for (const t of repo.tags) {
      const reason = t.invalid ?? invalidTagName(t.tag) ?? (t.digest ? undefined : 'manifest could not be resolved');
      if (reason || !t.digest) {
        plan.invalid.push({ tag: t.tag, reason: reason ?? 'no digest' });
        invalid.push({ reference: `${repo.name}:${t.tag}`, reason: reason ?? 'no digest' });
        plan.keep.push(t.tag);
        if (t.digest) keptBlobs.add(t.digest);
        for (const r of t.references ?? []) keptBlobs.add(r.digest);
      } else {
        valid.push(t as ScannedTag & { digest: string });
      }
    }
    valid.sort((a, b) => (b.created?.getTime() ?? -Infinity) - (a.created?.getTime() ?? -Infinity) || (a.tag < b.tag ? 1 : a.tag > b.tag ? -1 : 0));
    const keepDigests = new Set<string>();
    const dropped: (ScannedTag & { digest: string })[] = [];
    valid.forEach((t, i) => {
      const young = t.created !== undefined && t.created.getTime() > youngSince;
      if (i < rules.keepTagRevisions || young) {
        plan.keep.push(t.tag);
        keepDigests.add(t.digest);
        for (const r of t.references ?? []) keepDigests.add(r.digest);
      } else {
        dropped.push(t);
      }
    });
    for (const d of keepDigests) keptBlobs.add(d);
    const byDigest = new Map<string, string[]>();
    for (const t of dropped) {
      if (keepDigests.has(t.digest)) continue;
      byDigest.set(t.digest, [...(byDigest.get(t.digest) ?? []), t.tag]);
      deletedBlobs.set(t.digest, t.size ?? 0);
      for (const r of t.references ?? []) deletedBlobs.set(r.digest, r.size);
    }
    plan.delete = [...byDigest].map(([digest, tags]) => ({ digest, tags: tags.sort() }));
    plan.keep.sort();
  }
  const reclaimable = new Map<string, number>();
  for (const [digest, size] of deletedBlobs) if (!keptBlobs.has(digest)) reclaimable.set(digest, size);
  return { repositories: plans, reclaimable, invalid };
}
