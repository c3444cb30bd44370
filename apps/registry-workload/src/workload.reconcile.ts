import { configConditionTypes, configGroupVersion, parseConfig } from '@image-registry/api';
import { findCondition, statusConditionsApply, type Condition } from '@image-registry/conditions';
import type { KubeClient, KubeObject, Logger, Reconcile, Request } from '@image-registry/controller-runtime';
import { bootstrapConfig } from './bootstrap.reconcile.ts';
import { cached, type WorkloadCaches } from './caches.ts';
import { ensureObject, removeOwned } from './owned-apply.ts';
import { renderClusterRoleBinding } from './render/cluster-role-binding.ts';
import { renderClusterRole } from './render/cluster-role.ts';
import type { RegistryConfig } from './render/config.ts';
import { desiredReplicas, renderDeployment } from './render/deployment.ts';
import type { ClusterProxy } from './render/env.ts';
import { InvalidConfigError } from './render/errors.ts';
import type { RegistryFlavour } from './render/flavour.ts';
import { generateHttpSecret } from './render/http-secret.ts';
import {
  clusterRoleBindingName,
  clusterRoleName,
  configName,
  networkPolicyName,
  privateConfigurationSecretName,
  registryName,
  serviceAccountName,
} from './render/names.ts';
import { renderNetworkPolicy } from './render/network-policy.ts';
import { renderPodDisruptionBudget } from './render/pod-disruption-budget.ts';
import { stageDeployment, type LiveDeployment } from './render/rollout-staging.ts';
import { renderServiceAccount } from './render/service-account.ts';
import { renderServiceCAConfigMap } from './render/serviceca-config-map.ts';
import { renderService } from './render/service.ts';
import { renderStorage } from './render/storage-env.ts';
import { zoneLabel } from './render/topology.ts';
import { ConfigResource, owned } from './resources.ts';
import { ensureServingTls } from './serving-tls.reconcile.ts';
import { registryConditions, type ObservedDeployment, type Outcome } from './status/conditions.ts';
import type { ServingTlsOptions } from './tls/serving-tls.ts';

export interface WorkloadOptions {
  /** The operand namespace. */
  namespace: string;
  flavour: RegistryFlavour;
  image: string;
  /** Stamped on the Deployment as `release.openshift.io/version`. */
  releaseVersion?: string | undefined;
  /** `service-ca`: OpenShift issues the serving certificate; `self-signed`: this app does. */
  servingCert: 'service-ca' | 'self-signed';
  tls?: ServingTlsOptions | undefined;
  now?: () => Date;
  random?: (n: number) => Uint8Array;
}

interface ConfigObject extends KubeObject {
  spec?: Record<string, unknown>;
  status?: { conditions?: Condition[]; observedGeneration?: number };
}

interface DataObject extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  type?: string;
}

/** Where a pass ended: the outcome for the conditions, whether the generation was acted on, when to look again. */
interface Pass {
  outcome: Outcome;
  acted: boolean;
  requeueAfterMs?: number;
  failure?: unknown;
}

const ownTypes = configConditionTypes['registry-workload'];

/**
 * The longest wait between passes: a certificate due in years is still checked twice a day (and
 * timers cannot wait longer than 24.8 days anyway). A pass with nothing to do sends no request.
 */
const maxRequeueMs = 12 * 60 * 60 * 1000;

/**
 * reconcile(`cluster`): read the caches, bootstrap the Config if missing, converge the registry's
 * objects for the managementState, then report Available/Progressing/Degraded/Removed.
 */
export function workloadReconciler(client: KubeClient, caches: WorkloadCaches, opts: WorkloadOptions): Reconcile {
  const now = opts.now ?? (() => new Date());
  const ns = opts.namespace;
  const inNs = (name: string): Request => ({ namespace: ns, name });

  async function managed(config: RegistryConfig, uid: string, log: Logger): Promise<Pass> {
    let spec = config.spec;
    if (!spec.httpSecret) {
      // Written alone with this app's manager: the user's fields (managementState above all) stay theirs.
      const httpSecret = generateHttpSecret(opts.random);
      await client.apply(ConfigResource, { apiVersion: configGroupVersion, kind: 'Config', metadata: { name: configName }, spec: { httpSecret } } as KubeObject);
      log.info('generated spec.httpSecret');
      spec = { ...spec, httpSecret };
    }
    const replicas = desiredReplicas({ ...config, spec });
    await ensureObject(client, owned.clusterRole, renderClusterRole(uid), log);
    await ensureObject(client, owned.clusterRoleBinding, renderClusterRoleBinding(ns, uid), log);
    await ensureObject(client, owned.serviceAccount, renderServiceAccount(ns, uid), log);
    await ensureObject(client, owned.service, renderService(ns, uid, opts.servingCert === 'service-ca'), log);
    let requeueAfterMs: number | undefined;
    if (opts.servingCert === 'self-signed') {
      const next = await ensureServingTls({
        client,
        secret: (name) => cached<DataObject>(caches.secrets, inNs(name)),
        namespace: ns,
        ownerUid: uid,
        now: now(),
        options: opts.tls,
        log,
      });
      requeueAfterMs = Math.max(1000, next.getTime() - now().getTime());
    } else {
      await ensureObject(client, owned.configMap, renderServiceCAConfigMap(ns, uid, undefined), log);
    }
    await ensureObject(client, owned.podDisruptionBudget, renderPodDisruptionBudget(ns, uid, replicas), log);
    await ensureObject(client, owned.networkPolicy, renderNetworkPolicy(ns, uid), log);

    const storageExists = findCondition((config as { status?: { conditions?: Condition[] } }).status?.conditions, 'StorageExists');
    if (storageExists?.status !== 'True') {
      const message =
        storageExists?.message ||
        `Waiting for the storage controller to report StorageExists True (now ${storageExists?.status ?? 'not reported'})`;
      return { outcome: { kind: 'waitingForStorage', message }, acted: true, ...(requeueAfterMs ? { requeueAfterMs } : {}) };
    }
    const privateSecret = cached<DataObject>(caches.secrets, inNs(privateConfigurationSecretName));
    const storage = renderStorage({
      storage: config.status?.storage ?? {},
      flavour: opts.flavour,
      privateKeys: new Set(Object.keys(privateSecret?.data ?? {})),
    });
    const proxy = cached<{ status?: ClusterProxy } & KubeObject>(caches.proxy, { name: 'cluster' });
    const namespace = cached(caches.namespace, { name: ns });
    const desired = renderDeployment({
      config: { ...config, spec },
      namespace: ns,
      flavour: opts.flavour,
      image: opts.image,
      releaseVersion: opts.releaseVersion,
      storage,
      clusterProxy: proxy?.status,
      nodesHaveZones: caches.nodes.list().some((n) => n.metadata?.labels?.[zoneLabel] !== undefined),
      namespaceAnnotations: namespace?.metadata?.annotations,
      dependencies: {
        configMap: (name) => cached<DataObject>(caches.configMaps, inNs(name)),
        secret: (name) => cached<DataObject>(caches.secrets, inNs(name)),
      },
    });
    const live = cached<LiveDeployment & KubeObject>(caches.deployment, inNs(registryName));
    const { apply, staged } = stageDeployment(desired, live);
    if (staged) log.info('scaling up without the anti-affinity in two steps: first the new template, then the replicas');
    await ensureObject(client, owned.deployment, apply as KubeObject, log);
    if (staged) requeueAfterMs = 1000;
    return { outcome: { kind: 'applied' }, acted: true, ...(requeueAfterMs ? { requeueAfterMs } : {}) };
  }

  async function removed(log: Logger): Promise<Pass> {
    const objects: [keyof typeof owned, KubeObject | undefined][] = [
      ['deployment', cached(caches.deployment, inNs(registryName))],
      ['podDisruptionBudget', cached(caches.podDisruptionBudget, inNs(registryName))],
      ['networkPolicy', cached(caches.networkPolicy, inNs(networkPolicyName))],
      ['service', cached(caches.service, inNs(registryName))],
      ['serviceAccount', cached(caches.serviceAccount, inNs(serviceAccountName))],
      ['clusterRoleBinding', cached(caches.clusterRoleBinding, { name: clusterRoleBindingName })],
      ['clusterRole', cached(caches.clusterRole, { name: clusterRoleName })],
    ];
    for (const [kind, obj] of objects) await removeOwned(client, owned[kind], obj, log);
    return { outcome: { kind: 'applied' }, acted: true };
  }

  async function converge(raw: ConfigObject, log: Logger): Promise<Pass> {
    const parsed = parseConfig(raw);
    if (!parsed.ok) {
      return { outcome: { kind: 'error', permanent: true, reason: 'VerificationFailed', message: parsed.error.message }, acted: true };
    }
    const config = parsed.value as unknown as RegistryConfig;
    const state = config.spec.managementState;
    try {
      if (state === 'Removed') return await removed(log);
      if (state === 'Managed' || state === 'Force') return await managed(config, raw.metadata?.uid ?? '', log);
      if (state !== 'Unmanaged') log.warn({ managementState: state }, 'unknown managementState; leaving the registry alone');
      return { outcome: { kind: 'applied' }, acted: true };
    } catch (err) {
      if (err instanceof InvalidConfigError) {
        log.warn({ field: err.field, err: err.message }, 'the Config cannot be rendered; reported as Degraded');
        return { outcome: { kind: 'error', permanent: true, reason: err.reason, message: `unable to complete resource: ${err.message}` }, acted: true };
      }
      const message = err instanceof Error ? err.message : String(err);
      return { outcome: { kind: 'error', permanent: false, reason: 'Error', message }, acted: false, failure: err };
    }
  }

  async function writeStatus(raw: ConfigObject, pass: Pass): Promise<number | undefined> {
    const state = (raw.spec?.['managementState'] as string | undefined) ?? undefined;
    const deployment = cached<ObservedDeployment & KubeObject>(caches.deployment, inNs(registryName));
    const status = registryConditions({ managementState: state, deployment, outcome: pass.outcome, previous: raw.status?.conditions, now: now() });
    const body = statusConditionsApply({
      apiVersion: configGroupVersion,
      kind: 'Config',
      name: configName,
      current: raw.status?.conditions,
      conditions: status.conditions,
      ownedTypes: ownTypes,
      now: now(),
    });
    // Always sent: leaving a field out of an apply would give it up. Unchanged until the pass acted.
    const observedGeneration = pass.acted ? raw.metadata?.generation : raw.status?.observedGeneration;
    const fullStatus: Record<string, unknown> = { ...body.status, readyReplicas: status.readyReplicas };
    if (observedGeneration !== undefined) fullStatus['observedGeneration'] = observedGeneration;
    await client.applyStatus(ConfigResource, { ...body, status: fullStatus } as KubeObject);
    return status.recheckAfterMs;
  }

  return async (_req, { log }) => {
    const raw = cached<ConfigObject>(caches.config, { name: configName });
    if (!raw) {
      await bootstrapConfig(client, caches, log);
      return;
    }
    // Being deleted: the storage finalizer and the garbage collector take it from here.
    if (raw.metadata?.deletionTimestamp) return;
    const pass = await converge(raw, log);
    const recheck = await writeStatus(raw, pass);
    if (pass.failure !== undefined) throw pass.failure;
    const after = [pass.requeueAfterMs, recheck, maxRequeueMs].filter((v): v is number => v !== undefined && v > 0);
    return { requeueAfterMs: Math.min(...after) };
  };
}
