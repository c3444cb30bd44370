import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '@image-registry/controller-runtime';
import type { ProxyMetrics } from './metrics.ts';
import { anonymous, type Identity, type ReviewApi } from './review-api.ts';
import { ReviewCache } from './review-cache.ts';
import type { AccessCheck } from './route.ts';

/** The API server gave no answer: the proxy fails closed (503), never open. */
export class ReviewUnavailableError extends Error {
  override name = 'ReviewUnavailableError';
}

export interface ReviewerOptions {
  api: ReviewApi;
  metrics: ProxyMetrics;
  clock: Pick<Clock, 'now'>;
  /** How long an accepted token and an allowed access stay cached. */
  allowTtlMs: number;
  /** How long a rejected token and a denied access stay cached (shorter: a new RoleBinding takes effect fast). */
  denyTtlMs: number;
  /** Most entries in each cache. */
  maxEntries: number;
  /** Deadline of one review call. */
  timeoutMs: number;
}

/** A token the caller holds, with the digest that stands for it in caches. */
export interface Subject {
  token: string | undefined;
  /** HMAC of the token under a per-process key: equal tokens match, no cache key reveals one. */
  key: string;
}

/**
 * Authentication (TokenReview) and authorization (SubjectAccessReview), each answer cached briefly
 * under a digest of the token. A failed call is never cached and surfaces as ReviewUnavailableError.
 */
export class Reviewer {
  private readonly tokens: ReviewCache<Identity | null>;
  private readonly access: ReviewCache<boolean>;
  // Never leaves the process: a cache key cannot be tested against a guessed token elsewhere.
  private readonly hmacKey = randomBytes(32);
  private readonly opts: ReviewerOptions;

  constructor(opts: ReviewerOptions) {
    this.opts = opts;
    this.tokens = new ReviewCache({ maxEntries: opts.maxEntries, clock: opts.clock });
    this.access = new ReviewCache({ maxEntries: opts.maxEntries, clock: opts.clock });
  }

  subject(token: string | undefined): Subject {
    return { token, key: token === undefined ? 'anonymous' : createHmac('sha256', this.hmacKey).update(token).digest('base64url') };
  }

  /** The identity of the subject; null when the API server rejects its token. Anonymous needs no call. */
  async authenticate(subject: Subject): Promise<Identity | null> {
    const token = subject.token;
    if (token === undefined) return anonymous;
    const { value, hit } = await this.tokens.get(
      subject.key,
      () => this.call('token', async (signal) => (await this.opts.api.tokenReview(token, signal)) ?? null),
      (identity) => (identity ? this.opts.allowTtlMs : this.opts.denyTtlMs),
    );
    this.opts.metrics.cacheLookups.inc({ review: 'token', result: hit ? 'hit' : 'miss' });
    return value;
  }

  /** Whether the subject's identity may do `check`. */
  async authorize(subject: Subject, identity: Identity, check: AccessCheck): Promise<boolean> {
    const key = [subject.key, check.verb, check.resource, check.subresource ?? '', check.namespace ?? '', check.name ?? ''].join('\u0000');
    const { value, hit } = await this.access.get(
      key,
      () => this.call('access', (signal) => this.opts.api.accessReview(identity, check, signal)),
      (allowed) => (allowed ? this.opts.allowTtlMs : this.opts.denyTtlMs),
    );
    this.opts.metrics.cacheLookups.inc({ review: 'access', result: hit ? 'hit' : 'miss' });
    return value;
  }

  private async call<T>(review: 'token' | 'access', send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const end = this.opts.metrics.reviewDuration.startTimer({ review });
    try {
      return await send(AbortSignal.timeout(this.opts.timeoutMs));
    } catch (err) {
      this.opts.metrics.reviewErrors.inc({ review });
      // The cause keeps the API error (verb, path, status); it never holds the token, which only the body carried.
      throw new ReviewUnavailableError(
        `the Kubernetes API did not answer the ${review === 'token' ? 'TokenReview' : 'SubjectAccessReview'}: ${errorMessage(err)}`,
        { cause: err },
      );
    } finally {
      end();
    }
  }
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.name === 'TimeoutError' ? 'it timed out' : err.message;
  return String(err);
}
