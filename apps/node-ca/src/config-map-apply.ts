import type { KubeClient, Logger } from '@image-registry/controller-runtime';
import { ConfigMapResource, type ConfigMapObject } from './resources.ts';

/**
 * Converges a ConfigMap this app owns: a server-side apply (skipped when the cache shows no change),
 * then, when someone added keys next to ours (a trusted CA for any host, on every node), a PUT with
 * exactly the desired data. Server-side apply alone cannot remove a key another manager added.
 */
export async function ensureConfigMap(
  client: Pick<KubeClient, 'apply' | 'update'>,
  desired: ConfigMapObject,
  log: Logger,
  signal?: AbortSignal,
): Promise<ConfigMapObject> {
  const applied = await client.apply(ConfigMapResource, desired, signal ? { signal } : {});
  const extra = [...Object.keys(applied.data ?? {}).filter((k) => !(k in (desired.data ?? {}))),
    ...Object.keys(applied.binaryData ?? {}).filter((k) => !(k in (desired.binaryData ?? {})))];
  if (extra.length === 0) return applied;
  log.info({ configMap: desired.metadata?.name, keys: extra.slice(0, 20) }, 'removing keys another manager added to a ConfigMap this app owns');
  const fixed: ConfigMapObject = { ...applied, data: desired.data ?? {} };
  if (desired.binaryData) fixed.binaryData = desired.binaryData;
  else delete fixed.binaryData;
  return client.update(ConfigMapResource, fixed, signal ? { signal } : {});
}
