// The shipped Roles and ClusterRoles as data: the least-privilege tests look for wildcards in them and
// take single rules out of them (pure functions over parsed manifests).
import type { Manifest } from '@image-registry/testing';

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs?: string[];
  nonResourceURLs?: string[];
}

export type RoleManifest = Manifest & { rules?: PolicyRule[] };

export const isRole = (m: Manifest): m is RoleManifest => m.kind === 'Role' || m.kind === 'ClusterRole';

/** `ClusterRole/<name> rule 2: verbs ["*"]` for every rule naming `*` in a verb, resource, apiGroup or URL. */
export function wildcardRules(manifests: Manifest[]): string[] {
  const out: string[] = [];
  for (const m of manifests.filter(isRole)) {
    (m.rules ?? []).forEach((rule, i) => {
      for (const field of ['verbs', 'resources', 'apiGroups', 'nonResourceURLs'] as const) {
        const values = rule[field] ?? [];
        if (values.some((v) => v.includes('*')))
          out.push(`${m.kind}/${m.metadata.name} rule ${i}: ${field} ${JSON.stringify(values)}`);
      }
    });
  }
  return out;
}

/** Which rule to take out: equal apiGroups, resources and verbs (resourceNames must match when given). */
export interface RuleMatch {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const same = (a: string[] | undefined, b: string[] | undefined) =>
  JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...(b ?? [])].sort());

function matches(rule: PolicyRule, match: RuleMatch): boolean {
  return (
    same(rule.apiGroups, match.apiGroups) &&
    same(rule.resources, match.resources) &&
    same(rule.verbs, match.verbs) &&
    same(rule.resourceNames, match.resourceNames)
  );
}

/**
 * The manifests with exactly one rule removed. Throws when no rule or more than one matches, so a
 * reshaped RBAC file fails the test that relies on the rule instead of silently removing nothing.
 */
export function withoutRule(manifests: Manifest[], match: RuleMatch): Manifest[] {
  const hits = manifests.filter(isRole).flatMap((m) => (m.rules ?? []).filter((r) => matches(r, match)).map(() => m));
  if (hits.length !== 1)
    throw new Error(`expected exactly one shipped rule ${JSON.stringify(match)}, found ${hits.length}`);
  return manifests.map((m) =>
    isRole(m) && m === hits[0] ? { ...m, rules: (m.rules ?? []).filter((r) => !matches(r, match)) } : m,
  );
}
