import { pullSecretAnnotations, pullSecretsManagedLabel } from '@image-registry/api';
import { isAlreadyExists, isNotFound, type Reconcile, type Request, type Result } from '@image-registry/controller-runtime';
import { leanPullSecret, leanServiceAccount } from './cache.ts';
import { modeNow, type LoopContext } from './context.ts';
import { newPullSecretName } from './render/names.ts';
import { renderEmptyPullSecret } from './render/secret.ts';
import { injectPatch } from './render/service-account.ts';
import { removeServiceAccountPullSecret } from './removal.ts';
import { SecretResource, ServiceAccountResource, type PullSecretObject, type ServiceAccountObject } from './resources.ts';

/**
 * The ServiceAccount loop (reference Part 3.3): choose the SA's pull secret name, record it on the SA
 * (annotation and imagePullSecrets: intent first, so a crash never leaves a second secret), then create
 * the secret with an empty `.dockercfg` for the pull-secret loop to fill. In Removed mode it takes back
 * what it injected instead.
 */
export function serviceAccountReconciler(ctx: LoopContext, random?: (n: number) => number): Reconcile {
  return async (req, rc): Promise<Result> => {
    const ns = req.namespace ?? '';
    const sa = ctx.writtenServiceAccounts.newest(req, ctx.serviceAccounts.get(req));
    if (!sa?.metadata?.uid || sa.metadata.deletionTimestamp) return;
    if (!ctx.scope.active(ns, ctx.namespaces.get({ name: ns }))) return;
    const mode = modeNow(ctx);
    if (mode === 'Unmanaged') return;
    if (mode === 'Removed') return removeServiceAccountPullSecret(ctx, sa);

    const name = await chooseSecretName(ctx, sa, random);
    if (name === undefined) return;
    const patch = injectPatch(sa, name);
    let current = sa;
    if (patch) {
      try {
        current = leanServiceAccount(await ctx.client.patch(ServiceAccountResource, req, patch, { type: 'merge' }));
      } catch (err) {
        if (isNotFound(err)) return;
        throw err; // 409: someone changed the SA; retried from the fresher cache
      }
      ctx.writtenServiceAccounts.remember(current);
      rc.log.debug({ secret: name }, 'recorded the pull secret on the ServiceAccount');
    }
    if (!ctx.writtenSecrets.newest({ namespace: ns, name }, ctx.secrets.get({ namespace: ns, name }))) {
      await createSecret(ctx, current, name);
    }
  };
}

/** True when the cached secret is this app's pull secret for this ServiceAccount. */
function belongsTo(secret: PullSecretObject | undefined, sa: ServiceAccountObject): boolean {
  const m = secret?.metadata;
  return (
    m?.labels?.[pullSecretsManagedLabel.key] === pullSecretsManagedLabel.value &&
    m.annotations?.[pullSecretAnnotations.serviceAccount] === sa.metadata?.name &&
    (m.ownerReferences ?? []).some((r) => r.uid === sa.metadata?.uid)
  );
}

/**
 * The annotation's secret when it is ours or does not exist; else the oldest secret this app made for
 * the SA; else a new name. An annotation naming a secret this app does not manage (a user's) is not
 * followed: that secret is never overwritten. Undefined: openshift-controller-manager manages this SA's
 * pull secret already (its annotations, not our label), so the SA is left to it.
 */
async function chooseSecretName(ctx: LoopContext, sa: ServiceAccountObject, random?: (n: number) => number): Promise<string | undefined> {
  const ns = sa.metadata?.namespace ?? '';
  const saName = sa.metadata?.name ?? '';
  const ref = sa.metadata?.annotations?.[pullSecretAnnotations.pullSecretRef];
  if (ref) {
    const key: Request = { namespace: ns, name: ref };
    const cached = ctx.writtenSecrets.newest(key, ctx.secrets.get(key));
    if (cached) {
      if (belongsTo(cached, sa)) return ref;
    } else {
      // Not in our (label-selected) cache: absent, or someone else's. Only the API can tell.
      const live = await ctx.client.get(SecretResource, key);
      if (!live) return ref;
      const lean = leanPullSecret(live);
      if (belongsTo(lean, sa)) {
        ctx.writtenSecrets.remember(lean);
        return ref;
      }
      if (lean.metadata?.annotations?.[pullSecretAnnotations.serviceAccount] === saName) {
        ctx.log.debug({ serviceAccount: `${ns}/${saName}`, secret: ref }, 'pull secret managed by openshift-controller-manager; left alone');
        return undefined;
      }
    }
    await ctx.events.warn(
      sa,
      'PullSecretRefNotManaged',
      `Annotation ${pullSecretAnnotations.pullSecretRef} names secret ${ref}, which this operator does not manage; a managed pull secret is created instead and ${ref} is left alone.`,
    );
  }
  const mine = ctx.secrets
    .byOwner(sa.metadata?.uid ?? '')
    .filter((s) => belongsTo(s, sa))
    .sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  return mine[0]?.metadata?.name ?? newPullSecretName(saName, random);
}

async function createSecret(ctx: LoopContext, sa: ServiceAccountObject, name: string): Promise<void> {
  const ns = sa.metadata?.namespace ?? '';
  const owner = { namespace: ns, name: sa.metadata?.name ?? '', uid: sa.metadata?.uid ?? '' };
  try {
    const created = await ctx.client.create(SecretResource, renderEmptyPullSecret(name, owner));
    ctx.writtenSecrets.remember(leanPullSecret(created));
  } catch (err) {
    if (isAlreadyExists(err)) return; // ours from an earlier attempt (checked above), or a user's: never overwritten
    await ctx.events.warn(sa, 'FailedToWritePullSecret', `Could not create pull secret ${ns}/${name}: ${(err as Error).message}`);
    throw err;
  }
}
