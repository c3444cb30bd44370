import { Resources, type KubeClient, type KubeObject, type Logger } from '@image-registry/controller-runtime';
import { ensureObject } from './owned-apply.ts';
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

/**
 * The serving certificate where OpenShift's service-ca does not exist: the CA in its own Secret, the
 * bundle in ConfigMap `serviceca`, the certificate in `image-registry-tls`. Written in that order, so
 * the trust is published before a certificate that needs it. Returns when to look again.
 */
export async function ensureServingTls(ctx: ServingTlsContext): Promise<Date> {
  const hostnames = serviceHostnames(ctx.namespace);
  let plan = await planServingTls(currentTls(ctx.secret(caSecretName), ctx.secret(tlsSecretName)), hostnames, ctx.now, ctx.options);
  if (plan.caIssued || plan.nextIssued || plan.servingIssued) {
    // Generate-once values never come from a cache that may lag behind our own last write (a second
    // CA or certificate would roll the registry again and again): decide again from a live read.
    const [ca, serving] = await Promise.all([
      ctx.client.get(Resources.Secret, { namespace: ctx.namespace, name: caSecretName }),
      ctx.client.get(Resources.Secret, { namespace: ctx.namespace, name: tlsSecretName }),
    ]);
    plan = await planServingTls(currentTls(ca, serving), hostnames, ctx.now, ctx.options);
  }
  if (plan.caIssued) ctx.log.info('a new serving CA signs from now on');
  if (plan.nextIssued) ctx.log.info('issued the next serving CA; it joins the bundle now and signs after the propagation delay');
  if (plan.servingIssued) ctx.log.info({ hostnames }, 'issued a new serving certificate');
  await ensureObject(ctx.client, owned.secret, renderTlsSecret(caSecretName, ctx.namespace, ctx.ownerUid, plan.ca, caExtras(plan)), ctx.log);
  await ensureObject(ctx.client, owned.configMap, renderServiceCAConfigMap(ctx.namespace, ctx.ownerUid, plan.bundle), ctx.log);
  await ensureObject(ctx.client, owned.secret, renderTlsSecret(tlsSecretName, ctx.namespace, ctx.ownerUid, plan.serving), ctx.log);
  return plan.nextCheck;
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
