import { isAlreadyExists, type KubeClient, type KubeObject, type Logger } from '@image-registry/controller-runtime';
import { cached, type WorkloadCaches } from './caches.ts';
import { detectPlatform, platformDefaults, renderBootstrapConfig, type InfrastructureView } from './render/bootstrap.ts';
import { configName } from './render/names.ts';
import { ConfigResource } from './resources.ts';

/**
 * Creates `Config/cluster` from the platform when it does not exist (upstream-inventory §2). Asks the
 * API server first, since the cache may lag behind a Config that was just created; and creates rather
 * than applies, so an existing Config (and its managementState) is never overwritten.
 */
export async function bootstrapConfig(client: KubeClient, caches: WorkloadCaches, log: Logger): Promise<void> {
  if (await client.get(ConfigResource, { name: configName })) return;
  const infrastructure = cached<InfrastructureView & KubeObject>(caches.infrastructure, { name: 'cluster' });
  const providerIDs = caches.nodes.list().map((n) => (n as { spec?: { providerID?: string } }).spec?.providerID ?? '');
  const platform = detectPlatform(infrastructure, providerIDs);
  const defaults = platformDefaults(platform, infrastructure);
  try {
    await client.create(ConfigResource, renderBootstrapConfig(defaults));
    log.info(
      { platform, managementState: defaults.managementState, storage: Object.keys(defaults.storage), replicas: defaults.replicas },
      'created Config/cluster from the platform defaults',
    );
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}
