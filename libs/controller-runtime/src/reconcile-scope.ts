import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The signal of the reconcile running on this async path. KubeClient requests made inside a reconcile
 * inherit it, so a reconcile timeout or a lost lease cancels them without threading the signal by hand.
 */
export const reconcileScope = new AsyncLocalStorage<AbortSignal>();

/** `explicit` combined with the ambient reconcile signal, whichever exist. */
export function effectiveSignal(explicit: AbortSignal | undefined): AbortSignal | undefined {
  const ambient = reconcileScope.getStore();
  if (explicit && ambient && explicit !== ambient) return AbortSignal.any([explicit, ambient]);
  return explicit ?? ambient;
}

/**
 * The signal of the reconcile running on this async path, for calls that are not KubeClient's (cloud
 * SDKs, child processes, loops over pages): it aborts when the reconcile times out, when leadership is
 * lost and when the process stops. Undefined outside a reconcile.
 */
export function reconcileSignal(): AbortSignal | undefined {
  return reconcileScope.getStore();
}
