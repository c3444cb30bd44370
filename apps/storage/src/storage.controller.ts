import { singletonName, operatorLogLevelOf, processLogLevel } from '@image-registry/api';
import {
  Resources,
  type Controller,
  type KubeObject,
  type Manager,
  type Predicate,
  type Request,
  type ResourceType,
  eventRecorder,
  followLogLevel,
} from '@image-registry/controller-runtime';
import { cloudSecretName, userSecretName } from './credentials/sources.ts';
import type { DriverEnvironment } from './drivers/factory.ts';
import { privateConfigurationSecretName } from './render/private-configuration.ts';
import type { ObjectReader } from './object-reader.ts';
import { ConfigResource, InfrastructureResource, ProxyResource } from './resources.ts';
import { StorageReconciler } from './storage.reconcile.ts';

export interface StorageControllerOptions {
  namespace: string;
  configNamespace: string;
  infrastructureName: string | undefined;
  /** Send the cloud calls through the cluster Proxy's proxy (`--use-cluster-proxy`). */
  useClusterProxy?: boolean;
  /** This process's environment (proxy variables, workload identity); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  drivers: Omit<DriverEnvironment, 'namespace' | 'claims'>;
  degradedAfterMs: number;
  resyncMs?: number;
}

const cluster: Request = { name: singletonName };
const byName = (name: string) => ({ fieldSelector: `metadata.name=${name}` });

/**
 * Config changes that matter to storage: spec (generation), deletion and finalizers. Status-only
 * churn from the other apps does not reach the queue; this app's periodic resync covers the rest.
 */
export const configChanged: Predicate<KubeObject> = (ev) => {
  if (ev.type !== 'update' || !ev.old) return true;
  const a = ev.old.metadata;
  const b = ev.obj.metadata;
  return (
    a?.generation !== b?.generation ||
    a?.deletionTimestamp !== b?.deletionTimestamp ||
    JSON.stringify(a?.finalizers ?? []) !== JSON.stringify(b?.finalizers ?? [])
  );
};

/**
 * Wires the storage controller: Config/cluster is the one key; the credential secrets, the
 * private-configuration Secret (drift), claims in the operand namespace, Infrastructure/cluster and
 * (with --use-cluster-proxy) Proxy/cluster all map to it.
 */
export async function addStorageController(
  mgr: Manager,
  opts: StorageControllerOptions,
): Promise<{ controller: Controller; reconciler: StorageReconciler }> {
  const ns = opts.namespace;
  const infrastructureApi = await mgr.client.serves(InfrastructureResource);
  const config = mgr.informer(ConfigResource, byName(singletonName));
  const secrets = [userSecretName, cloudSecretName, privateConfigurationSecretName].map((name) =>
    mgr.informer(Resources.Secret, { namespace: ns, ...byName(name) }),
  );
  const claims = mgr.informer(Resources.PersistentVolumeClaim, { namespace: ns });
  const infrastructure = infrastructureApi
    ? mgr.informer(InfrastructureResource, byName(singletonName))
    : undefined;
  const useClusterProxy = Boolean(opts.useClusterProxy) && (await mgr.client.serves(ProxyResource));
  const proxy = useClusterProxy ? mgr.informer(ProxyResource, byName(singletonName)) : undefined;

  const informers = new Map<string, { get(key: Request): KubeObject | undefined }>([
    [ConfigResource.kind, config],
    [Resources.PersistentVolumeClaim.kind, claims],
    ...(infrastructure ? [[InfrastructureResource.kind, infrastructure] as const] : []),
    ...(proxy ? [[ProxyResource.kind, proxy] as const] : []),
  ]);
  const reader: ObjectReader = {
    get<T extends KubeObject>(res: ResourceType<T>, key: Request): T | undefined {
      if (res.kind === Resources.Secret.kind) {
        const inf = secrets.find((s) => s.fieldSelector === `metadata.name=${key.name}`);
        return inf?.get(key) as T | undefined;
      }
      return informers.get(res.kind)?.get(key) as T | undefined;
    },
  };

  const reconciler = new StorageReconciler({
    client: mgr.client,
    reader,
    namespace: ns,
    configNamespace: opts.configNamespace,
    infrastructureName: opts.infrastructureName,
    infrastructureApi,
    useClusterProxy,
    ...(opts.env ? { env: opts.env } : {}),
    drivers: opts.drivers,
    degradedAfterMs: opts.degradedAfterMs,
    resyncMs: opts.resyncMs ?? 10 * 60_000,
    events: eventRecorder(mgr, ns),
  });
  followLogLevel(mgr, ConfigResource, singletonName, (c) => processLogLevel(operatorLogLevelOf(c)));
  const toCluster = () => cluster;
  const controller = mgr
    .controller({
      name: 'storage',
      reconcile: reconciler.reconcile,
      // Emptying a large bucket can take minutes; an aborted removal resumes where it stopped.
      reconcileTimeoutMs: 5 * 60_000,
      // Retry failing storage at least every 5 minutes (the default backoff grows to 16 minutes).
      rateLimiter: { maxDelayMs: 5 * 60_000 },
    })
    .for(config, { predicate: configChanged });
  for (const s of secrets) controller.watches(s, toCluster);
  controller.watches(claims, toCluster);
  if (infrastructure) controller.watches(infrastructure, toCluster);
  if (proxy) controller.watches(proxy, toCluster);
  return { controller, reconciler };
}
