import { pullSecretAnnotations, pullSecretsManagedLabel } from '@image-registry/api';
import { KubeApiError, isConflict, isNotFound, type Reconcile, type Result } from '@image-registry/controller-runtime';
import { leanPullSecret, leanServiceAccount } from './cache.ts';
import { modeNow, type LoopContext } from './context.ts';
import { emptySummary, refreshReason, renderDockercfg } from './render/dockercfg.ts';
import { dockercfgType, renderPullSecret } from './render/secret.ts';
import { removePatch } from './render/service-account.ts';
import { SecretResource, ServiceAccountResource, type PullSecretObject, type ServiceAccountObject } from './resources.ts';

interface TokenRequestStatus {
  status?: { token?: string; expirationTimestamp?: string };
}

/**
 * The pull-secret loop (reference Part 3.4), per managed secret: drop it when its ServiceAccount points
 * elsewhere; otherwise, when it fails the refresh test (hosts, key IDs, binding, 60 % of the token's life),
 * mint a token bound to this Secret and write one `.dockercfg` entry per host. It then asks to be
 * reconciled again when the token reaches 60 % of its life, so no loop polls.
 */
export function pullSecretReconciler(ctx: LoopContext): Reconcile {
  return async (req, rc): Promise<Result> => {
    const ns = req.namespace ?? '';
    if (modeNow(ctx) !== 'Managed') return;
    const secret = ctx.writtenSecrets.newest(req, ctx.secrets.get(req));
    if (!secret) return;
    if (!ctx.scope.active(ns, ctx.namespaces.get({ name: ns }))) return;
    const saName = secret.metadata?.annotations?.[pullSecretAnnotations.serviceAccount];
    if (!saName || secret.type !== dockercfgType || secret.metadata?.deletionTimestamp) return;
    const sa = ctx.writtenServiceAccounts.newest({ namespace: ns, name: saName }, ctx.serviceAccounts.get({ namespace: ns, name: saName }));
    // No ServiceAccount: the garbage collector removes the secret through its owner reference.
    if (!sa?.metadata?.uid || sa.metadata.deletionTimestamp) return;
    if (!(secret.metadata?.ownerReferences ?? []).some((r) => r.uid === sa.metadata?.uid)) return; // an earlier SA of that name: GC's
    const ref = sa.metadata.annotations?.[pullSecretAnnotations.pullSecretRef];
    if (!ref) return; // the ServiceAccount loop has not recorded its choice yet
    if (ref !== secret.metadata?.name) return removeOrphan(ctx, sa, secret, rc.log);

    const observed = ctx.observed.current();
    if (!observed) return; // queued again when hosts and key IDs are known
    const now = ctx.now();
    const summary = secret.summary ?? emptySummary;
    const reason = refreshReason(summary, {
      hostsDigest: observed.hostsDigest,
      keyIds: observed.keyIds,
      secretUid: secret.metadata?.uid ?? '',
      serviceAccountUid: sa.metadata.uid,
      nowMs: now,
    });
    if (!reason) return { requeueAfterMs: Math.max(1000, Math.ceil(summary.refreshAtMs - now)) };

    let token: string;
    try {
      token = await requestToken(ctx, sa, secret);
    } catch (err) {
      if (isNotFound(err)) return; // the SA or the secret went meanwhile: their events bring the next reconcile
      throw err;
    }
    const desired = renderPullSecret(secret.metadata?.name ?? '', { namespace: ns, name: saName, uid: sa.metadata.uid }, renderDockercfg(observed.hosts, token));
    // The UID makes the apply fail instead of re-creating a secret deleted meanwhile under a token bound to the old one.
    const body = { ...desired, metadata: { ...desired.metadata, uid: secret.metadata?.uid } } as PullSecretObject;
    let written: PullSecretObject;
    try {
      written = await ctx.client.apply(SecretResource, body, { current: null });
    } catch (err) {
      // Deleted (409 uid mismatch) or replaced (422 uid immutable) meanwhile: the new one gets its own reconcile.
      if (isNotFound(err) || isConflict(err) || (err instanceof KubeApiError && err.status === 422 && /uid/i.test(err.message))) return;
      await ctx.events.warn(sa, 'FailedToWritePullSecret', `Could not write pull secret ${ns}/${secret.metadata?.name ?? ''}: ${(err as Error).message}`);
      throw err;
    }
    const lean = leanPullSecret(written);
    ctx.writtenSecrets.remember(lean);
    ctx.observed.sawMintedKid(lean.summary?.kids[0]);
    ctx.metrics.refreshes.inc({ reason });
    rc.log.debug({ reason }, 'pull secret refreshed');
    const next = (lean.summary?.refreshAtMs ?? now + 60_000) - ctx.now();
    return { requeueAfterMs: Math.max(1000, Math.ceil(next)) };
  };
}

/** A TokenRequest with only a bound object reference to the Secret: default audiences, default expiry. */
async function requestToken(ctx: LoopContext, sa: ServiceAccountObject, secret: PullSecretObject): Promise<string> {
  const ns = sa.metadata?.namespace ?? '';
  const name = sa.metadata?.name ?? '';
  try {
    const res = await ctx.client.createSubresource<TokenRequestStatus>(ServiceAccountResource, { namespace: ns, name }, 'token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { boundObjectRef: { apiVersion: 'v1', kind: 'Secret', name: secret.metadata?.name, uid: secret.metadata?.uid } },
    });
    const token = res.status?.token;
    if (!token) throw new Error(`the TokenRequest for ServiceAccount ${ns}/${name} returned no token`);
    ctx.metrics.tokenRequests.inc({ result: 'success' });
    return token;
  } catch (err) {
    ctx.metrics.tokenRequests.inc({ result: 'error' });
    if (!isNotFound(err)) {
      await ctx.events.warn(sa, 'FailedToWritePullSecret', `Could not request a token for pull secret ${ns}/${secret.metadata?.name ?? ''}: ${(err as Error).message}`);
    }
    throw err;
  }
}

/** The SA names another secret: take this one out of imagePullSecrets, then delete it (reference Part 3.7). */
async function removeOrphan(ctx: LoopContext, sa: ServiceAccountObject, secret: PullSecretObject, log: LoopContext['log']): Promise<Result> {
  const ns = sa.metadata?.namespace ?? '';
  const name = secret.metadata?.name ?? '';
  if (secret.metadata?.labels?.[pullSecretsManagedLabel.key] !== pullSecretsManagedLabel.value) return;
  const patch = removePatch(sa, name);
  if (patch) {
    const updated = await ctx.client.patch(ServiceAccountResource, { namespace: ns, name: sa.metadata?.name ?? '' }, patch, { type: 'merge' });
    ctx.writtenServiceAccounts.remember(leanServiceAccount(updated));
  }
  const uid = secret.metadata?.uid;
  await ctx.client.delete(SecretResource, { namespace: ns, name }, uid ? { preconditions: { uid } } : {});
  ctx.writtenSecrets.forget({ namespace: ns, name });
  log.info({ secret: `${ns}/${name}` }, 'deleted an orphaned pull secret: its ServiceAccount names another one');
}
