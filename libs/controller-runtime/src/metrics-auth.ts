import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.ts';
import type { KubeClient } from './kube-client.ts';

/** What a scrape request gets: 200 with the metrics, 401 (who are you?), 403 (not allowed), 503 (cannot ask). */
export type MetricsVerdict = 'allowed' | 'unauthenticated' | 'forbidden' | 'unavailable';

export interface MetricsAuthorizerOptions {
  client: KubeClient;
  logger?: Logger;
  clock?: Pick<Clock, 'now'>;
  /** How long an allowed answer is reused (default 60 s): a grant's revocation takes this long. */
  allowedTtlMs?: number;
  /** How long a refused answer is reused (default 10 s), so a misconfigured scraper costs little. */
  deniedTtlMs?: number;
  /** Most tokens remembered (default 64; a cluster has a handful of scrapers). */
  maxEntries?: number;
}

interface TokenReviewAnswer {
  status?: { authenticated?: boolean; user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } };
}
interface AccessReviewAnswer {
  status?: { allowed?: boolean; denied?: boolean };
}

/**
 * kubebuilder's secure metrics: the bearer token goes to TokenReview, its user to a SubjectAccessReview
 * for `get` on the non-resource URL `/metrics`. Answers are kept briefly per token digest (never the
 * token itself) so a scrape every 30 s costs the API server nothing most of the time; a failed review is
 * never kept, and never lets a request through.
 */
export class MetricsAuthorizer {
  private readonly opts: MetricsAuthorizerOptions;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly answers = new Map<string, { verdict: MetricsVerdict; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<MetricsVerdict>>();

  constructor(opts: MetricsAuthorizerOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
  }

  /** The verdict for an `Authorization` header value (undefined: none sent). */
  async authorize(header: string | undefined, path = '/metrics'): Promise<MetricsVerdict> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (!token) return 'unauthenticated';
    const key = createHash('sha256').update(path).update('\0').update(token).digest('hex');
    const hit = this.answers.get(key);
    if (hit && hit.expiresAt > this.clock.now()) return hit.verdict;
    this.answers.delete(key);
    let inFlight = this.pending.get(key);
    if (!inFlight) {
      inFlight = this.review(token, path).finally(() => this.pending.delete(key));
      this.pending.set(key, inFlight);
    }
    const verdict = await inFlight;
    if (verdict !== 'unavailable') this.remember(key, verdict);
    return verdict;
  }

  private async review(token: string, path: string): Promise<MetricsVerdict> {
    const { client } = this.opts;
    try {
      // write: false — a review changes nothing, so a standby replica (no lease) answers scrapes too.
      const tr = await client.request<TokenReviewAnswer>({
        verb: 'create',
        method: 'POST',
        path: '/apis/authentication.k8s.io/v1/tokenreviews',
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
        write: false,
      });
      const user = tr.status?.user;
      if (tr.status?.authenticated !== true || !user?.username) return 'unauthenticated';
      const spec: Record<string, unknown> = {
        nonResourceAttributes: { path, verb: 'get' },
        user: user.username,
        groups: user.groups ?? [],
        ...(user.uid ? { uid: user.uid } : {}),
        ...(user.extra ? { extra: user.extra } : {}),
      };
      const sar = await client.request<AccessReviewAnswer>({
        verb: 'create',
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec },
        write: false,
      });
      const allowed = sar.status?.allowed === true && sar.status.denied !== true;
      if (!allowed) this.opts.logger?.debug({ user: user.username, path }, 'metrics scrape refused: the user may not get this path');
      return allowed ? 'allowed' : 'forbidden';
    } catch (err) {
      this.opts.logger?.warn(
        { err: (err as Error).message },
        'cannot review a metrics scrape (the app needs create on tokenreviews and subjectaccessreviews)',
      );
      return 'unavailable';
    }
  }

  private remember(key: string, verdict: MetricsVerdict): void {
    const ttl = verdict === 'allowed' ? (this.opts.allowedTtlMs ?? 60_000) : (this.opts.deniedTtlMs ?? 10_000);
    this.answers.set(key, { verdict, expiresAt: this.clock.now() + ttl });
    const max = this.opts.maxEntries ?? 64;
    for (const k of this.answers.keys()) {
      if (this.answers.size <= max) break;
      this.answers.delete(k);
    }
  }
}

/** The HTTP status and body of a verdict other than allowed. */
export function refusal(verdict: Exclude<MetricsVerdict, 'allowed'>): { status: number; body: string } {
  switch (verdict) {
    case 'unauthenticated':
      return { status: 401, body: 'Unauthorized: send a ServiceAccount token as "Authorization: Bearer <token>"\n' };
    case 'forbidden':
      return { status: 403, body: 'Forbidden: the user needs "get" on the non-resource URL /metrics (ClusterRole image-registry-operator:metrics-reader)\n' };
    case 'unavailable':
      return { status: 503, body: 'Service Unavailable: the API server did not answer the token or access review\n' };
  }
}
