import { randomInt } from 'node:crypto';

/** The characters of Kubernetes' random name suffixes (no vowels, no look-alikes). */
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The name prefix of a ServiceAccount's pull secret, as library-go's `naming.GetName(sa, "dockercfg-", 58)`:
 * `<sa>-dockercfg-`, or for long names a truncated name plus an FNV-32a hash, so the whole name with its
 * 5-character suffix stays within 63 characters.
 */
export function pullSecretPrefix(serviceAccount: string): string {
  const suffix = 'dockercfg-';
  const maxLength = 58;
  const name = `${serviceAccount}-${suffix}`;
  if (name.length <= maxLength) return name;
  const baseLength = maxLength - 10 - suffix.length;
  return `${serviceAccount.slice(0, baseLength)}-${fnv32a(serviceAccount)}-${suffix}`;
}

/** A new pull secret name for `serviceAccount`: the prefix plus 5 random characters. */
export function newPullSecretName(serviceAccount: string, random: (n: number) => number = randomInt): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += alphabet[random(alphabet.length)];
  return pullSecretPrefix(serviceAccount) + s;
}

/** FNV-32a of the UTF-8 bytes, as 8 hex digits (Go's hash/fnv New32a, printed %08x). */
export function fnv32a(s: string): string {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(s, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
