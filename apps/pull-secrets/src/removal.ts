import { pullSecretAnnotations, pullSecretsManagedLabel } from '@image-registry/api';
import { isNotFound, type Result } from '@image-registry/controller-runtime';
import { leanServiceAccount } from './cache.ts';
import type { LoopContext } from './context.ts';
import { pullSecretPrefix } from './render/names.ts';
import { removePatch } from './render/service-account.ts';
import { SecretResource, ServiceAccountResource, type ServiceAccountObject } from './resources.ts';

/** How long to wait before looking again at a secret a Pod still references. */
const inUseRetryMs = 5 * 60_000;

/**
 * Removed: take back what the ServiceAccount loop injected, as OCM's cleanup does (reference Part 3.7):
 * delete the managed secret unless it is younger than the minimum age or a Pod of the namespace still
 * lists it in imagePullSecrets, then drop it from the SA's imagePullSecrets. The annotation stays.
 */
export async function removeServiceAccountPullSecret(ctx: LoopContext, sa: ServiceAccountObject): Promise<Result> {
  const ns = sa.metadata?.namespace ?? '';
  const saName = sa.metadata?.name ?? '';
  const ref = sa.metadata?.annotations?.[pullSecretAnnotations.pullSecretRef];
  const mine = ctx.secrets
    .byOwner(sa.metadata?.uid ?? '')
    .filter((s) => s.metadata?.labels?.[pullSecretsManagedLabel.key] === pullSecretsManagedLabel.value)
    .map((s) => s.metadata?.name ?? '');
  // The annotated name counts even when the secret is gone already (a crash between delete and patch).
  const names = new Set(mine);
  if (ref && ref.startsWith(pullSecretPrefix(saName))) names.add(ref);

  let current = sa;
  let requeueAt = Number.POSITIVE_INFINITY;
  const now = ctx.now();
  for (const name of names) {
    const secret = ctx.secrets.get({ namespace: ns, name });
    if (secret) {
      const created = Date.parse(secret.metadata?.creationTimestamp ?? '');
      const oldEnough = Number.isFinite(created) ? created + ctx.removalMinAgeMs : now;
      if (oldEnough > now) {
        requeueAt = Math.min(requeueAt, oldEnough);
        continue;
      }
      const pods = await ctx.pods.inNamespace(ns);
      if (pods.some((p) => (p.spec?.imagePullSecrets ?? []).some((r) => r.name === name))) {
        requeueAt = Math.min(requeueAt, now + inUseRetryMs);
        continue;
      }
      const uid = secret.metadata?.uid;
      await ctx.client.delete(SecretResource, { namespace: ns, name }, uid ? { preconditions: { uid } } : {});
      ctx.writtenSecrets.forget({ namespace: ns, name });
      ctx.log.info({ secret: `${ns}/${name}` }, 'deleted a managed pull secret (Removed)');
    }
    const patch = removePatch(current, name);
    if (!patch) continue;
    try {
      current = leanServiceAccount(await ctx.client.patch(ServiceAccountResource, { namespace: ns, name: saName }, patch, { type: 'merge' }));
      ctx.writtenServiceAccounts.remember(current);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }
  return Number.isFinite(requeueAt) ? { requeueAfterMs: Math.max(1000, requeueAt - now) } : undefined;
}
