import { imagePrunerConditionTypes, imagePrunerGroupVersion, parseImagePruner, type ImagePrunerSpec } from '@image-registry/api';
import { statusConditionsApply } from '@image-registry/conditions';
import { isAlreadyExists, Resources, type KubeClient, type KubeObject, type Logger, type Reconcile } from '@image-registry/controller-runtime';
import type { PrunerCaches } from './caches.ts';
import type { PrunerSetup } from './flags.ts';
import type { InstallStatusMetric } from './install-metric.ts';
import { renderBootstrapPruner } from './render/bootstrap.ts';
import { renderClusterRoleBinding } from './render/cluster-role-binding.ts';
import { renderClusterRole } from './render/cluster-role.ts';
import { renderCronJob } from './render/cronjob.ts';
import { renderJobRole, renderJobRoleBinding } from './render/job-role.ts';
import { cronJobName, prunerName, registryDeploymentName } from './render/names.ts';
import { renderNetworkPolicy } from './render/network-policy.ts';
import { registryStorageMounts, type RegistryDeploymentView } from './render/registry-storage.ts';
import { renderServiceAccount } from './render/service-account.ts';
import { renderServiceCAConfigMap } from './render/serviceca-config-map.ts';
import { installStatusOf, prunerConditions } from './render/status.ts';
import { ImagePrunerResource, type ImagePrunerObject } from './resources.ts';

export interface PrunerReconcilerOptions {
  client: KubeClient;
  caches: PrunerCaches;
  setup: PrunerSetup;
  metric: InstallStatusMetric;
  now?: () => Date;
}

/**
 * reconcile(`cluster`): bootstrap ImagePruner/cluster when missing (its spec is the admin's from then
 * on), apply the pruner's objects in upstream's order, and report Available/Scheduled/Failed/Degraded
 * from the CronJob and the newest finished Job. An apply error is reported (Degraded SyncError) and
 * then retried with backoff.
 */
export function prunerReconciler(opts: PrunerReconcilerOptions): Reconcile {
  const { client, caches, setup } = opts;
  const now = opts.now ?? (() => new Date());
  return async (_req, { log }) => {
    const raw = caches.pruner.get({ name: prunerName });
    if (!raw) {
      await bootstrap(client, log);
      return;
    }
    if (raw.metadata?.deletionTimestamp) return;
    const uid = raw.metadata?.uid ?? '';
    let syncError: string | undefined;
    let failure: unknown;
    let cronJob: KubeObject | undefined;
    let spec: ImagePrunerSpec | undefined;
    const parsed = parseImagePruner(raw);
    if (parsed.ok) spec = parsed.value.spec;
    else syncError = parsed.error.message;
    if (spec) {
      try {
        cronJob = await applyObjects(opts, spec, uid);
      } catch (err) {
        failure = err;
        syncError = err instanceof Error ? err.message : String(err);
        log.warn({ err: syncError }, 'could not apply the pruner objects');
      }
    }
    cronJob ??= caches.cronJob.get({ namespace: setup.namespace, name: cronJobName });
    const facts = { cronJobExists: cronJob !== undefined, suspended: (spec ?? raw.spec)?.suspend === true };
    opts.metric.set(installStatusOf(facts));
    await client.applyStatus(ImagePrunerResource, statusBody(raw, prunerConditions({ ...facts, jobs: caches.jobs.list(), syncError }), now()));
    if (failure !== undefined) throw failure;
  };
}

async function bootstrap(client: KubeClient, log: Logger): Promise<void> {
  try {
    // A create, not an apply: the spec is the admin's from the start, never owned by this app.
    await client.create(ImagePrunerResource, renderBootstrapPruner() as ImagePrunerObject);
    log.info('created ImagePruner cluster with the default spec');
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

/** Upstream's order (§10.2); returns the CronJob as applied. */
async function applyObjects(opts: PrunerReconcilerOptions, spec: ImagePrunerSpec, uid: string): Promise<KubeObject> {
  const { client, caches, setup } = opts;
  const ns = setup.namespace;
  await client.apply(Resources.ClusterRole, renderClusterRole(setup.flavour, uid));
  await client.apply(Resources.ClusterRoleBinding, renderClusterRoleBinding(ns, uid));
  await client.apply(Resources.ServiceAccount, renderServiceAccount(ns, uid));
  if (setup.flavour === 'registry-api') {
    await client.apply(Resources.Role, renderJobRole(ns, uid));
    await client.apply(Resources.RoleBinding, renderJobRoleBinding(ns, uid));
  }
  if (setup.applyServiceCA) await client.apply(Resources.ConfigMap, renderServiceCAConfigMap(ns));
  await client.apply(Resources.NetworkPolicy, renderNetworkPolicy(ns, uid));
  const config = caches.config.get({ name: prunerName });
  const imageConfig = caches.imageConfig?.get({ name: prunerName });
  const deployment = caches.registryDeployment?.get({ namespace: ns, name: registryDeploymentName }) as RegistryDeploymentView | undefined;
  return client.apply(
    Resources.CronJob,
    renderCronJob({
      namespace: ns,
      ownerUid: uid,
      flavour: setup.flavour,
      image: setup.image,
      spec,
      internalRegistryHostname: imageConfig?.status?.internalRegistryHostname,
      managementState: config?.spec?.managementState,
      registry: setup.flavour === 'registry-api' ? registryStorageMounts(deployment) : undefined,
    }),
  );
}

/** This app's part of ImagePruner status: its four conditions and observedGeneration. */
function statusBody(raw: ImagePrunerObject, conditions: ReturnType<typeof prunerConditions>, now: Date): ImagePrunerObject {
  const body = statusConditionsApply({
    apiVersion: imagePrunerGroupVersion,
    kind: 'ImagePruner',
    name: prunerName,
    current: raw.status?.conditions,
    conditions,
    ownedTypes: imagePrunerConditionTypes,
    now,
  });
  const status: Record<string, unknown> = { ...body.status };
  if (raw.metadata?.generation !== undefined) status['observedGeneration'] = raw.metadata.generation;
  return { ...body, status } as ImagePrunerObject;
}
