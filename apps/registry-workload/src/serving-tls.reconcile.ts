import { Resources, type KubeClient, type KubeObject, type Logger } from '@image-registry/controller-runtime';
import { ensureObject, isStalePlan, plannedFrom } from './owned-apply.ts';
import { caSecretName, tlsSecretName } from './render/names.ts';
import { renderServiceCAConfigMap } from './render/serviceca-config-map.ts';
import { serviceHostnames } from './render/service.ts';
import { renderTlsSecret } from './render/tls-secret.ts';
import { owned } from './resources.ts';
import { planServingTls, type CurrentTls, type ServingTls, type ServingTlsOptions } from './tls/serving-tls.ts';

interface SecretView extends KubeObject {
  data?: Record<string, string>;
}

function decoded(secret: SecretView | undefined, key: string): string | undefined {
  const v = secret?.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

export interface ServingTlsContext {
  client: KubeClient;
  secret(name: string): SecretView | undefined;
  namespace: string;
  ownerUid: string;
  now: Date;
  options?: ServingTlsOptions | undefined;
  log: Logger;
}

/** What a pass published: when to look again, and the objects as written (the Deployment's checksum reads them). */
export interface PublishedTls {
  nextCheck: Date;
  /** The CA Secret, ConfigMap `serviceca` and `image-registry-tls`, as the API server returned them. */
  written: KubeObject[];
}

/**
 * The serving certificate where OpenShift's service-ca does not exist: the CA in its own Secret, the
 * bundle in ConfigMap `serviceca`, the certificate in `image-registry-tls`. Written in that order, so
 * the trust is published before a certificate that needs it. Each Secret is written only over the
 * incarnation it was planned from; when one was deleted meanwhile, it is planned again from a live read.
 */
export async function publishServingTls(ctx: ServingTlsContext): Promise<PublishedTls> {
  const cached = { ca: ctx.secret(caSecretName), serving: ctx.secret(tlsSecretName) };
  try {
    return await publish(ctx, cached, false);
  } catch (err) {
    if (!isStalePlan(err)) throw err;
    // Planned from a cache that still held a Secret the user deleted (how a rotation is asked for):
    // writing that plan would bring the old certificate back under a new uid.
    ctx.log.info('a TLS Secret was deleted or re-created since it was read; planning again from a live read');
    return await publish(ctx, await liveTls(ctx), true);
  }
}

/** publishServingTls for a caller that needs only when to look again. */
export async function ensureServingTls(ctx: ServingTlsContext): Promise<Date> {
  return (await publishServingTls(ctx)).nextCheck;
}

interface TlsSecrets {
  ca: SecretView | undefined;
  serving: SecretView | undefined;
}

async function liveTls(ctx: ServingTlsContext): Promise<TlsSecrets> {
  const [ca, serving] = await Promise.all([
    ctx.client.get(Resources.Secret, { namespace: ctx.namespace, name: caSecretName }),
    ctx.client.get(Resources.Secret, { namespace: ctx.namespace, name: tlsSecretName }),
  ]);
  return { ca, serving };
}

async function publish(ctx: ServingTlsContext, seen: TlsSecrets, live: boolean): Promise<PublishedTls> {
  const hostnames = serviceHostnames(ctx.namespace);
  let basis = seen;
  let plan = planServingTls(currentTls(basis.ca, basis.serving), hostnames, ctx.now, ctx.options);
  if (!live && (plan.caIssued || plan.nextIssued || plan.servingIssued)) {
    // Generate-once values never come from a cache that may lag behind our own last write (a second
    // CA or certificate would roll the registry again and again): decide again from a live read.
    basis = await liveTls(ctx);
    plan = planServingTls(currentTls(basis.ca, basis.serving), hostnames, ctx.now, ctx.options);
  }
  if (plan.caIssued) ctx.log.info('a new serving CA signs from now on');
  if (plan.nextIssued) ctx.log.info('issued the next serving CA; it joins the bundle now and signs after the propagation delay');
  if (plan.servingIssued) ctx.log.info({ hostnames }, 'issued a new serving certificate');
  const ca = renderTlsSecret(caSecretName, ctx.namespace, ctx.ownerUid, plan.ca, caExtras(plan));
  // The bundle is derived from the CA Secret, never read back to plan: re-created as it is, no precondition.
  const bundle = renderServiceCAConfigMap(ctx.namespace, ctx.ownerUid, plan.bundle);
  const serving = renderTlsSecret(tlsSecretName, ctx.namespace, ctx.ownerUid, plan.serving);
  const written = [
    await ensureObject(ctx.client, owned.secret, plannedFrom(ca, basis.ca), ctx.log),
    await ensureObject(ctx.client, owned.configMap, bundle, ctx.log),
    await ensureObject(ctx.client, owned.secret, plannedFrom(serving, basis.serving), ctx.log),
  ];
  return { nextCheck: plan.nextCheck, written };
}

/** The CA Secret also holds the bundle and, during a staged rotation, the successor CA. */
function caExtras(plan: ServingTls): Record<string, string> {
  return { 'ca-bundle.crt': plan.bundle, ...(plan.next ? { 'next.crt': plan.next.cert, 'next.key': plan.next.key } : {}) };
}

function currentTls(ca: SecretView | undefined, serving: SecretView | undefined): CurrentTls {
  return {
    ca: {
      cert: decoded(ca, 'tls.crt'),
      key: decoded(ca, 'tls.key'),
      bundle: decoded(ca, 'ca-bundle.crt'),
      next: { cert: decoded(ca, 'next.crt'), key: decoded(ca, 'next.key') },
    },
    serving: { cert: decoded(serving, 'tls.crt'), key: decoded(serving, 'tls.key') },
  };
}
