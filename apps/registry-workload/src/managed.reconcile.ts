import { configGroupVersion } from '@image-registry/api';
import type { KubeObject, Logger } from '@image-registry/controller-runtime';
import { cached } from './caches.ts';
import { withReadOnlyWindow } from './maintenance/read-only-window.ts';
import { ensureObject } from './owned-apply.ts';
import { renderClusterRoleBinding } from './render/cluster-role-binding.ts';
import { renderClusterRole } from './render/cluster-role.ts';
import type { RegistryConfig, RegistrySpec } from './render/config.ts';
import { desiredReplicas, renderDeployment } from './render/deployment.ts';
import type { ClusterProxy } from './render/env.ts';
import { generateHttpSecret } from './render/http-secret.ts';
import { configName, privateConfigurationSecretName, registryName } from './render/names.ts';
import { renderNetworkPolicy } from './render/network-policy.ts';
import { renderPodDisruptionBudget } from './render/pod-disruption-budget.ts';
import { stageDeployment, type LiveDeployment } from './render/rollout-staging.ts';
import { renderServiceAccount } from './render/service-account.ts';
import { renderServiceCAConfigMap } from './render/serviceca-config-map.ts';
import { renderService } from './render/service.ts';
import { renderStorage } from './render/storage-env.ts';
import { zoneLabel } from './render/topology.ts';
import { ConfigResource, owned } from './resources.ts';
import { ensureObservedConfig, observedConfigFor } from './observed-config.reconcile.ts';
import { publishServingTls } from './serving-tls.reconcile.ts';
import type { DataObject, Pass, WorkloadContext } from './workload-context.ts';

/** `spec.httpSecret`, generated and applied alone when empty ("" regenerates). */
export async function ensureHttpSecret(
  ctx: Pick<WorkloadContext, 'client' | 'opts'>,
  spec: RegistrySpec,
  log: Logger,
  /** The other spec field this app owns: sent along, or the apply would delete it. */
  observedConfig?: unknown,
): Promise<RegistrySpec> {
  if (spec.httpSecret) return spec;
  // Generate once: the cache may not show the value our last pass wrote; the live object decides, and
  // the write is conditional on it (a 409 retries the reconcile), so a lagging cache yields one value.
  const live = (await ctx.client.get(ConfigResource, { name: configName })) as (KubeObject & { spec?: { httpSecret?: string } }) | undefined;
  if (live?.spec?.httpSecret) return { ...spec, httpSecret: live.spec.httpSecret };
  const httpSecret = generateHttpSecret(ctx.opts.random);
  // Only this field, with this app's manager: the user's fields (managementState above all) stay theirs.
  await ctx.client.apply(
    ConfigResource,
    {
      apiVersion: configGroupVersion,
      kind: 'Config',
      metadata: { name: configName, ...(live?.metadata?.resourceVersion ? { resourceVersion: live.metadata.resourceVersion } : {}) },
      spec: { httpSecret, ...(observedConfig !== undefined ? { observedConfig } : {}) },
    } as KubeObject,
    { current: null },
  );
  log.info('generated spec.httpSecret');
  return { ...spec, httpSecret };
}

/** Waits for every request before throwing the first failure: a pass never ends with writes in flight. */
async function settleAll<T extends unknown[]>(writes: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(writes);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as T;
}

/**
 * The Deployment for the current storage, staged when dropping the anti-affinity while scaling up.
 * `published`: what this pass just wrote that the pod reads (the serving TLS), fresher than the cache.
 */
async function ensureDeployment(ctx: WorkloadContext, config: RegistryConfig, published: readonly KubeObject[], log: Logger): Promise<{ staged: boolean }> {
  const { caches, inNs, opts } = ctx;
  // A re-issued certificate rolls the pods once: the checksum reads the Secret just written, not the
  // cache, which still holds the old one, or none after a delete, and would roll them a second time.
  const dependency = (kind: 'ConfigMap' | 'Secret', inf: typeof caches.secrets) => (name: string) =>
    (published.find((o) => o.kind === kind && o.metadata?.name === name) ?? cached(inf, inNs(name))) as (DataObject & KubeObject) | undefined;
  const privateSecret = cached<DataObject & KubeObject>(caches.secrets, inNs(privateConfigurationSecretName));
  const storage = renderStorage({
    storage: config.status?.storage ?? {},
    flavour: opts.flavour,
    privateKeys: new Set(Object.keys(privateSecret?.data ?? {})),
  });
  const proxy = cached<{ status?: ClusterProxy } & KubeObject>(caches.proxy, { name: 'cluster' });
  const desired = renderDeployment({
    config,
    namespace: opts.namespace,
    flavour: opts.flavour,
    image: opts.image,
    authImage: opts.authImage,
    releaseVersion: opts.releaseVersion,
    storage,
    clusterProxy: proxy?.status,
    nodesHaveZones: caches.nodes.list().some((n) => n.metadata?.labels?.[zoneLabel] !== undefined),
    namespaceAnnotations: cached(caches.namespace, { name: opts.namespace })?.metadata?.annotations,
    dependencies: {
      configMap: dependency('ConfigMap', caches.configMaps),
      secret: dependency('Secret', caches.secrets),
    },
  });
  const { apply, staged } = stageDeployment(desired, cached<LiveDeployment & KubeObject>(caches.deployment, inNs(registryName)));
  if (staged) log.info('scaling up without the anti-affinity in two steps: first the new template, then the replicas');
  // Remembered: this pass's conditions describe the Deployment just written, not the cache's older copy.
  ctx.writes.remember(await ensureObject(ctx.client, owned.deployment, apply, log));
  return { staged };
}

/**
 * managementState Managed: every object of the registry, in upstream's order but the budget after the
 * Deployment; the Deployment only once the storage app reports StorageExists True (until then
 * Progressing says WaitingForStorage).
 * Throws InvalidConfigError for a Config it cannot render, having changed nothing it cannot render.
 */
export async function convergeManaged(ctx: WorkloadContext, config: RegistryConfig, uid: string, log: Logger): Promise<Pass> {
  const { client, opts } = ctx;
  const ns = opts.namespace;
  const observed = observedConfigFor(ctx.caches);
  const spec = await ensureObservedConfig(ctx, await ensureHttpSecret(ctx, config.spec, log, observed), observed, log);
  const current: RegistryConfig = { ...config, spec };
  const replicas = desiredReplicas(current);
  // Rendered first (a Config that cannot be rendered changes nothing), then sent together: they do not
  // depend on each other, so a pass that creates them all (Removed → Managed) costs one round trip, not six.
  const clusterRole = renderClusterRole(uid);
  const clusterRoleBinding = renderClusterRoleBinding(ns, uid);
  const serviceAccount = renderServiceAccount(ns, uid);
  const service = renderService(ns, uid, opts.servingCert === 'service-ca');
  const networkPolicy = renderNetworkPolicy(ns, uid);
  const serving =
    opts.servingCert === 'self-signed'
      ? publishServingTls({
          client,
          secret: (name) => cached<DataObject & KubeObject>(ctx.caches.secrets, ctx.inNs(name)),
          namespace: ns,
          ownerUid: uid,
          now: ctx.now(),
          options: opts.tls,
          log,
        })
      : ensureObject(client, owned.configMap, renderServiceCAConfigMap(ns, uid, undefined), log).then(() => undefined);
  const [tls] = await settleAll([
    serving,
    // The binding after its role: RBAC's escalation check refuses a binding to a role that does not exist yet (404).
    ensureObject(client, owned.clusterRole, clusterRole, log).then(() => ensureObject(client, owned.clusterRoleBinding, clusterRoleBinding, log)),
    ensureObject(client, owned.serviceAccount, serviceAccount, log),
    ensureObject(client, owned.service, service, log),
    ensureObject(client, owned.networkPolicy, networkPolicy, log),
  ]);
  let requeueAfterMs = tls ? Math.max(1000, tls.nextCheck.getTime() - ctx.now().getTime()) : undefined;
  // After the Deployment when there is one: a replicas change then reaches the Deployment one round trip sooner.
  const budget = () => ensureObject(client, owned.podDisruptionBudget, renderPodDisruptionBudget(ns, uid, replicas), log);

  const storageExists = config.status?.conditions?.find((c) => c.type === 'StorageExists');
  if (storageExists?.status !== 'True') {
    const message =
      storageExists?.message ||
      `Waiting for the storage controller to report StorageExists True (now ${storageExists?.status ?? 'not reported'})`;
    await budget();
    return { outcome: { kind: 'waitingForStorage', message }, acted: true, ...(requeueAfterMs ? { requeueAfterMs } : {}) };
  }
  // The prune job's read-only window (maintenance/read-only-window.ts): read-only until its deadline.
  const window = withReadOnlyWindow(current, ctx.now());
  if (window.recheckAfterMs !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? window.recheckAfterMs, window.recheckAfterMs);
  const { staged } = await ensureDeployment(ctx, window.config, tls?.written ?? [], log);
  await budget();
  if (staged) requeueAfterMs = 1000;
  return { outcome: { kind: 'applied' }, acted: true, ...(requeueAfterMs ? { requeueAfterMs } : {}) };
}
