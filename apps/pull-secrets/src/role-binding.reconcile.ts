import { imagePullersRoleBinding, pullSecretsManagedLabel } from '@image-registry/api';
import { isNotFound, type Reconcile, type Result } from '@image-registry/controller-runtime';
import { modeNow, type LoopContext } from './context.ts';
import type { Reader } from './readers.ts';
import { imagePullersUpToDate, renderImagePullers } from './render/role-binding.ts';
import { RoleBindingResource, type RoleBindingObject } from './resources.ts';

/**
 * Per namespace (key: the namespace's name): RoleBinding `system:image-pullers`, so the namespace's
 * ServiceAccounts may pull its images (what OCM's image-puller-rolebindings controller does). Removed:
 * deleted, but only when it carries this app's label (a binding someone else made stays).
 */
export function roleBindingReconciler(
  ctx: Pick<LoopContext, 'client' | 'namespaces' | 'scope' | 'configs' | 'managementState'>,
  roleBindings: Reader<RoleBindingObject>,
): Reconcile {
  return async (req, rc): Promise<Result> => {
    const ns = req.name;
    const mode = modeNow(ctx);
    if (mode === 'Unmanaged') return;
    const key = { namespace: ns, name: imagePullersRoleBinding };
    const current = roleBindings.get(key);
    if (mode === 'Removed') {
      if (!current || current.metadata?.labels?.[pullSecretsManagedLabel.key] !== pullSecretsManagedLabel.value) return;
      if (ctx.scope.ignores(ns)) return;
      const uid = current.metadata.uid;
      await ctx.client.delete(RoleBindingResource, key, uid ? { preconditions: { uid } } : {});
      rc.log.info({ namespace: ns }, 'deleted RoleBinding system:image-pullers (Removed)');
      return;
    }
    if (!ctx.scope.active(ns, ctx.namespaces.get({ name: ns }))) return;
    const desired = renderImagePullers(ns);
    if (imagePullersUpToDate(current, desired)) return;
    try {
      await ctx.client.apply(RoleBindingResource, desired, { current: null });
    } catch (err) {
      if (isNotFound(err)) return; // the namespace went meanwhile
      throw err;
    }
    rc.log.debug({ namespace: ns }, 'applied RoleBinding system:image-pullers');
  };
}
