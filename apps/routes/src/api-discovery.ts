import type { KubeClient, Logger } from '@image-registry/controller-runtime';
import { RouteResource } from './resources.ts';

export type BackendKind = 'Route' | 'Ingress';

/** `Routes` or `Ingresses`, for messages. */
export const plural = (kind: BackendKind): string => (kind === 'Route' ? 'Routes' : 'Ingresses');

/** Routes where the API server serves route.openshift.io/v1 routes, else Ingresses. */
export async function discoverBackend(client: Pick<KubeClient, 'serves'>): Promise<BackendKind> {
  return (await client.serves(RouteResource)) ? 'Route' : 'Ingress';
}

/**
 * Re-runs discovery every `intervalMs` and calls `onChange` once when the answer differs from
 * `current` (the Route API was installed or removed). Informers and RBAC are chosen at start, so the
 * app's answer is to restart, as library-go does when feature gates change. A failed check is
 * logged and tried again at the next tick. Returns the stop function.
 */
export function watchBackend(opts: {
  client: Pick<KubeClient, 'serves'>;
  current: BackendKind;
  intervalMs: number;
  logger: Pick<Logger, 'warn' | 'info'>;
  onChange: (now: BackendKind) => void;
}): () => void {
  let busy = false;
  let done = false;
  const timer = setInterval(() => {
    if (busy || done) return;
    busy = true;
    discoverBackend(opts.client)
      .then((now) => {
        if (now === opts.current || done) return;
        done = true;
        clearInterval(timer);
        opts.logger.info({ was: opts.current, now }, `the Route API is now ${now === 'Route' ? 'served' : 'gone'}; switching to ${plural(now)}`);
        opts.onChange(now);
      })
      .catch((err: unknown) => opts.logger.warn({ err }, 'API discovery failed; trying again at the next interval'))
      .finally(() => (busy = false));
  }, opts.intervalMs);
  timer.unref();
  return () => {
    done = true;
    clearInterval(timer);
  };
}
