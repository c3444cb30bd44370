import type { KubeConfig } from '@kubernetes/client-node';
import { kubeRequest, KubeRequestError } from './request.ts';

/**
 * Deletes the object at `path` without waiting on its finalizers (a test's fresh start: the controller
 * that would release them may not run); an object already gone is fine.
 */
export async function forceDelete(kc: KubeConfig, path: string): Promise<void> {
  try {
    await kubeRequest(kc, 'PATCH', path, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    await kubeRequest(kc, 'DELETE', path);
  } catch (err) {
    if (!(err instanceof KubeRequestError && err.status === 404)) throw err;
  }
}
