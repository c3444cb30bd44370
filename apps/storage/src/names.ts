/**
 * Storage names as upstream generates them, so a cluster moved between implementations keeps its
 * bucket. Both join `<infrastructureName>-image-registry-<parts…>`, collapse runs of `-` and lowercase.
 */

/** Upstream draws random suffix letters from `a`–`y`. */
const suffixLetters = 'abcdefghijklmnopqrstuvwxy';

/** The Kubernetes random-string alphabet (no vowels, no look-alikes), used for Azure account names. */
const kubeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Cryptographic randomness is not needed (uniqueness only); a seam keeps tests deterministic. */
export type RandomInt = (maxExclusive: number) => number;

export const mathRandomInt: RandomInt = (max) => Math.floor(Math.random() * max);

function pick(alphabet: string, n: number, random: RandomInt): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[random(alphabet.length)];
  return out;
}

function joined(infrastructureName: string, parts: readonly string[]): string {
  return [infrastructureName, 'image-registry', ...parts.filter((p) => p !== '')]
    .join('-')
    .replace(/-+/g, '-');
}

/** Maximum bucket-name length upstream targets (S3 and GCS allow 63; upstream stays at 62). */
export const storageNameLength = 62;

/**
 * `<infra>-image-registry-<parts…>` truncated to 62 characters, a trailing `-` replaced by `s`.
 * Same input, same name: used for S3 (`<infra>-image-registry-<region>`).
 */
export function deterministicStorageName(infrastructureName: string, ...parts: string[]): string {
  let name = joined(infrastructureName, parts).slice(0, storageNameLength);
  if (name.endsWith('-')) name = `${name.slice(0, -1)}s`;
  return name.toLowerCase();
}

/**
 * `<infra>-image-registry-<parts…>-<random letters>`, always exactly 62 characters. Used for GCS
 * buckets (part: region) and Azure containers (no part).
 */
export function randomStorageName(
  infrastructureName: string,
  parts: readonly string[],
  random: RandomInt = mathRandomInt,
): string {
  let name = joined(infrastructureName, parts);
  if (name.length === storageNameLength - 1) {
    name += pick(suffixLetters, 1, random);
  } else if (name.length < storageNameLength - 1) {
    if (!name.endsWith('-')) name += '-';
    name += pick(suffixLetters, storageNameLength - name.length, random);
  } else {
    name = name.slice(0, storageNameLength);
    if (name.endsWith('-')) name = name.slice(0, -1) + pick(suffixLetters, 1, random);
  }
  return name.toLowerCase();
}

/**
 * An Azure storage account name: `imageregistry` + the infrastructure name's letters and digits,
 * that prefix cut to 19 characters, then 5 random characters. Always 3–24 characters of `[0-9a-z]`.
 */
export function azureAccountName(infrastructureName: string, random: RandomInt = mathRandomInt): string {
  const prefix = `imageregistry${infrastructureName.replace(/[^0-9A-Za-z]/g, '')}`.slice(0, 19);
  return `${prefix}${pick(kubeAlphabet, 5, random)}`.toLowerCase();
}
