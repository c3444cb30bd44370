import { fieldManagerFor, isConflict, requestKey, type Reconcile } from '@image-registry/controller-runtime';
import type { LoopContext } from './context.ts';

export const fieldManagerName = fieldManagerFor;

/**
 * Records each key's failure for the Degraded condition and clears it on success. A conflict (409) is
 * the optimistic lock doing its job, retried at once from a fresher cache: not a failure.
 */
export function withFailureTracking(ctx: Pick<LoopContext, 'failures' | 'now'>, inner: Reconcile): Reconcile {
  return async (req, rc) => {
    const key = requestKey(req);
    try {
      const result = await inner(req, rc);
      ctx.failures.clear(key);
      return result;
    } catch (err) {
      if (!isConflict(err)) ctx.failures.fail(key, (err as Error).message, ctx.now());
      throw err;
    }
  };
}
