import { createHash } from 'node:crypto';
import { pullSecretTokenUser } from '@image-registry/api';
import { readTokenClaims } from './jwt.ts';

/** `.dockercfg`: one entry per registry host, `auth` = base64(`<token>:` + token), nothing else. */
export function renderDockercfg(hosts: readonly string[], token: string): string {
  const auth = Buffer.from(`${pullSecretTokenUser}:${token}`, 'utf8').toString('base64');
  const cfg: Record<string, { auth: string }> = {};
  for (const host of hosts) cfg[host] = { auth };
  return JSON.stringify(cfg);
}

/** A digest of a host list, so a cache can compare lists without keeping them per secret. */
export function hostsDigest(hosts: readonly string[]): string {
  return createHash('sha256').update(hosts.join('\n')).digest('base64url').slice(0, 16);
}

/**
 * What the refresh test needs from a pull secret's `.dockercfg`, kept in the cache instead of the
 * tokens themselves (10,000 secrets of several kilobytes each would not fit the memory budget).
 */
export interface DockercfgSummary {
  /** hostsDigest of the entries' keys; '' when the file is missing or not a dockercfg. */
  hosts: string;
  /** The tokens' key IDs, sorted and unique. */
  kids: string[];
  /** Earliest refresh time over the entries, ms since the epoch: `exp − 0.4 × (exp − nbf)`; 0 when unknown. */
  refreshAtMs: number;
  /** The Secret UID every token is bound to; '' when they differ or are unbound. */
  boundSecretUid: string;
  serviceAccountUid: string;
}

export const emptySummary: DockercfgSummary = Object.freeze({
  hosts: '',
  kids: [],
  refreshAtMs: 0,
  boundSecretUid: '',
  serviceAccountUid: '',
}) as DockercfgSummary;

/** Summarises base64 `.dockercfg` data; anything unreadable gives the empty summary (refresh due). */
export function summarizeDockercfg(base64: string | undefined): DockercfgSummary {
  if (!base64) return emptySummary;
  let cfg: unknown;
  try {
    cfg = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    return emptySummary;
  }
  if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg)) return emptySummary;
  const entries = Object.entries(cfg as Record<string, unknown>);
  if (entries.length === 0) return emptySummary;
  const kids = new Set<string>();
  let refreshAtMs = Number.POSITIVE_INFINITY;
  let bound: string | undefined;
  let sa: string | undefined;
  for (const [, entry] of entries) {
    const auth = typeof entry === 'object' && entry !== null ? (entry as { auth?: unknown }).auth : undefined;
    const token = typeof auth === 'string' ? tokenOf(auth) : undefined;
    const claims = token ? readTokenClaims(token) : undefined;
    if (!claims?.kid || claims.exp === undefined) return emptySummary;
    const start = claims.nbf ?? claims.iat;
    if (start === undefined || start >= claims.exp) return emptySummary;
    kids.add(claims.kid);
    refreshAtMs = Math.min(refreshAtMs, (claims.exp - 0.4 * (claims.exp - start)) * 1000);
    bound = bound === undefined || bound === claims.boundSecretUid ? (claims.boundSecretUid ?? '') : '';
    sa = sa === undefined || sa === claims.serviceAccountUid ? (claims.serviceAccountUid ?? '') : '';
  }
  return {
    hosts: hostsDigest(entries.map(([h]) => h).sort()),
    kids: [...kids].sort(),
    refreshAtMs,
    boundSecretUid: bound ?? '',
    serviceAccountUid: sa ?? '',
  };
}

function tokenOf(auth: string): string | undefined {
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const prefix = `${pullSecretTokenUser}:`;
  return decoded.startsWith(prefix) ? decoded.slice(prefix.length) : undefined;
}

export interface Expectations {
  hostsDigest: string;
  keyIds: readonly string[];
  secretUid: string;
  serviceAccountUid: string;
  nowMs: number;
}

/** Why a pull secret needs a new token, or undefined when it is valid (reference Part 3.4 step 3). */
export function refreshReason(
  s: DockercfgSummary,
  want: Expectations,
): 'new' | 'hosts' | 'keys' | 'binding' | 'expiring' | undefined {
  if (s.hosts === '') return 'new';
  if (s.hosts !== want.hostsDigest) return 'hosts';
  if (s.kids.some((k) => !want.keyIds.includes(k))) return 'keys';
  if (s.boundSecretUid !== want.secretUid || s.serviceAccountUid !== want.serviceAccountUid) return 'binding';
  if (want.nowMs >= s.refreshAtMs) return 'expiring';
  return undefined;
}
