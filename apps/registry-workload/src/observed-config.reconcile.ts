import { configGroupVersion, observedServingInfo, sameJson, type TlsSecurityProfile } from '@image-registry/api';
import type { KubeObject, Logger } from '@image-registry/controller-runtime';
import { cached } from './caches.ts';
import type { RegistrySpec } from './render/config.ts';
import { configName } from './render/names.ts';
import { ConfigResource } from './resources.ts';
import type { WorkloadContext } from './workload-context.ts';

interface APIServerView extends KubeObject {
  spec?: { tlsSecurityProfile?: TlsSecurityProfile | null };
}

function servingInfoOf(observedConfig: unknown): unknown {
  let o = observedConfig;
  if (typeof o === 'string') {
    try {
      o = JSON.parse(o) as unknown;
    } catch {
      return undefined;
    }
  }
  return typeof o === 'object' && o !== null ? (o as { servingInfo?: unknown }).servingInfo : undefined;
}

/** `spec.observedConfig` as the cluster's TLS security profile asks (Intermediate with no APIServer). */
export function observedConfigFor(caches: Pick<WorkloadContext['caches'], 'apiServer'>): { servingInfo: ReturnType<typeof observedServingInfo> } {
  const apiServer = cached<APIServerView>(caches.apiServer, { name: 'cluster' });
  return { servingInfo: observedServingInfo(apiServer?.spec?.tlsSecurityProfile) };
}

/**
 * `spec.observedConfig` from the APIServer's TLS security profile (upstream's config observer): the
 * registry serves with the cluster's minimum TLS version and ciphers, Intermediate where no APIServer
 * exists. Written before the Deployment is rendered, so the registry starts with it and does not roll
 * once more; a hand edit of the field is taken back. The apply carries every spec field this app owns
 * (httpSecret too): a server-side apply without one of them would delete it.
 */
export async function ensureObservedConfig(
  ctx: Pick<WorkloadContext, 'client'>,
  spec: RegistrySpec,
  observedConfig: ReturnType<typeof observedConfigFor>,
  log: Logger,
): Promise<RegistrySpec> {
  if (sameJson(servingInfoOf(spec.observedConfig), observedConfig.servingInfo)) return spec;
  await ctx.client.apply(ConfigResource, {
    apiVersion: configGroupVersion,
    kind: 'Config',
    metadata: { name: configName },
    spec: { ...(spec.httpSecret ? { httpSecret: spec.httpSecret } : {}), observedConfig },
  } as KubeObject);
  const { minTLSVersion, cipherSuites } = observedConfig.servingInfo;
  log.info({ minTLSVersion, cipherSuites: cipherSuites.length }, 'observed the cluster TLS security profile into spec.observedConfig');
  return { ...spec, observedConfig };
}
