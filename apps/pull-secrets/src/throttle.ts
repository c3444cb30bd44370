import { setTimeout as delay } from 'node:timers/promises';
import type { KubeClient } from '@image-registry/controller-runtime';

/** The calls the reconcilers make; every one passes the client rate limit first. */
export type PullSecretClient = Pick<KubeClient, 'get' | 'list' | 'create' | 'createSubresource' | 'patch' | 'apply' | 'applyStatus' | 'delete'>;

export interface ClientRateLimit {
  /** Sustained requests per second (`--kube-api-qps`); 0 or less: unlimited. */
  qps: number;
  /** Requests allowed at once above the rate (`--kube-api-burst`). */
  burst: number;
}

/**
 * client-go's client-side token bucket: requests wait for a token instead of flooding the API server
 * when a host change or a restart makes every pull secret due at once.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly qps: number;
  private readonly burst: number;
  private readonly now: () => number;

  constructor(limit: ClientRateLimit, now: () => number = () => performance.now()) {
    this.qps = limit.qps;
    this.burst = Math.max(1, limit.burst);
    this.tokens = this.burst;
    this.now = now;
    this.last = now();
  }

  /** Takes a token; resolves when the request may be sent. */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait <= 0) return;
    await delay(wait, undefined, signal ? { signal } : {});
  }

  /** Milliseconds until the reserved token is due. */
  reserve(): number {
    if (this.qps <= 0) return 0;
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }
}

/** `client` with every call made to wait for the bucket. */
export function throttled(client: PullSecretClient, bucket: TokenBucket): PullSecretClient {
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await bucket.take();
      return fn(...args);
    };
  return {
    get: wrap(client.get.bind(client)) as PullSecretClient['get'],
    list: wrap(client.list.bind(client)) as PullSecretClient['list'],
    create: wrap(client.create.bind(client)) as PullSecretClient['create'],
    createSubresource: wrap(client.createSubresource.bind(client)) as PullSecretClient['createSubresource'],
    patch: wrap(client.patch.bind(client)) as PullSecretClient['patch'],
    apply: wrap(client.apply.bind(client)) as PullSecretClient['apply'],
    applyStatus: wrap(client.applyStatus.bind(client)) as PullSecretClient['applyStatus'],
    delete: wrap(client.delete.bind(client)) as PullSecretClient['delete'],
  };
}
