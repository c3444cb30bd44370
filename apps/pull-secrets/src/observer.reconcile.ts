import { serviceAccountSigningKeySecret } from '@image-registry/api';
import type { Reconcile, Result } from '@image-registry/controller-runtime';
import type { PullSecretMetrics } from './metrics.ts';
import type { ObservedState } from './observed.ts';
import { registryHosts } from './render/hosts.ts';
import { readTokenClaims } from './render/jwt.ts';
import { keyIdsFromPem } from './render/key-ids.ts';
import type { Reader } from './readers.ts';
import { ServiceAccountResource, type ImageObject, type PullSecretObject, type ServiceObject } from './resources.ts';
import type { PullSecretClient } from './throttle.ts';

/** The registry Services whose names and ClusterIP go into every pull secret (reference Part 3.6). */
export const registryServices = [
  { namespace: 'openshift-image-registry', name: 'image-registry' },
  { namespace: 'default', name: 'docker-registry' },
] as const;

export interface ObserverOptions {
  client: PullSecretClient;
  /** One reader per entry of `registryServices` that is watched (the operand namespace's, and default's). */
  services: Reader<ServiceObject>;
  images: Reader<ImageObject> | undefined;
  /** The signing-key Secret's cache (full object: the public keys are read from it). */
  signingKeys: Reader<PullSecretObject>;
  additionalHosts: readonly string[];
  /** The operand namespace: its `image-registry` Service is the registry's. */
  operandNamespace: string;
  observed: ObservedState;
  metrics: PullSecretMetrics;
  /** How often to mint a throw-away token to learn the key ID where no signing-key Secret exists (60 s). */
  keyProbeIntervalMs?: number;
}

/**
 * One key for everything every pull secret depends on: the registry hosts (Services, Image status,
 * the flag) and the signing key IDs (the signing-key Secret, else the `kid` of a throw-away token:
 * upstream's fallback, polled every minute because nothing else tells of a key rotation).
 */
export function observerReconciler(opts: ObserverOptions): Reconcile {
  const interval = opts.keyProbeIntervalMs ?? 60_000;
  let lastProbe = Number.NEGATIVE_INFINITY;
  let saidNoHosts = false;
  return async (_req, ctx): Promise<Result> => {
    const services = [
      opts.services.get({ namespace: opts.operandNamespace, name: 'image-registry' }),
      opts.services.get({ namespace: 'default', name: 'docker-registry' }),
    ];
    const hosts = registryHosts({
      services,
      externalRegistryHostnames: opts.images?.get({ name: 'cluster' })?.status?.externalRegistryHostnames,
      additional: opts.additionalHosts,
    });
    opts.metrics.registryHosts.set(hosts.length);

    const secret = opts.signingKeys.get({ namespace: serviceAccountSigningKeySecret.namespace, name: serviceAccountSigningKeySecret.name });
    const pem = secret?.data?.[serviceAccountSigningKeySecret.key];
    let keyIds = pem ? keyIdsFromPem(Buffer.from(pem, 'base64').toString('utf8')) : [];
    let keyError: string | undefined;
    // Upstream's pace: every minute once a key ID is known, every 10 s until then.
    const due = performance.now() - lastProbe >= (opts.observed.signingKeyIds.length === 0 ? Math.min(interval, 10_000) : interval);
    if (keyIds.length === 0 && !due) {
      // Woken by something else (a namespace, a Service): the last probe is recent enough.
      keyIds = [...opts.observed.signingKeyIds];
    } else if (keyIds.length === 0) {
      try {
        lastProbe = performance.now();
        keyIds = await probeKeyId(opts.client);
      } catch (err) {
        keyError = `could not learn the API server's token signing key ID from a TokenRequest for default/default: ${(err as Error).message}`;
        keyIds = [...opts.observed.signingKeyIds]; // keep what was known
      }
    }
    opts.metrics.keyIds.set(keyIds.length);
    if (opts.observed.update({ hosts, keyIds, keyError })) {
      ctx.log.info({ hosts, keyIds }, 'registry hosts or signing key IDs changed; every pull secret is refreshed');
    }
    if (hosts.length === 0 && !saidNoHosts) ctx.log.info('no registry hostname known yet (no registry Service, route host or --additional-registry-hosts)');
    saidNoHosts = hosts.length === 0;
    if (keyError) throw new Error(keyError);
    return pem ? undefined : { requeueAfterMs: Math.max(1000, Math.ceil(lastProbe + interval - performance.now())) };
  };
}

/** The key ID of a 10-minute token no API accepts (audience `not-api`): the current signing key's. */
async function probeKeyId(client: PullSecretClient): Promise<string[]> {
  const res = await client.createSubresource<{ status?: { token?: string } }>(
    ServiceAccountResource,
    { namespace: 'default', name: 'default' },
    'token',
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['not-api'], expirationSeconds: 600 } },
  );
  const kid = res.status?.token ? readTokenClaims(res.status.token)?.kid : undefined;
  if (!kid) throw new Error('the token the API server returned has no kid header');
  return [kid];
}
