import {
  imagePullersRoleBinding,
  pullSecretAnnotations,
  pullSecretsManagedLabel,
  serviceAccountSigningKeySecret,
  singletonName,
} from '@image-registry/api';
import type { Controller, Manager, Predicate } from '@image-registry/controller-runtime';
import { leanNamespace, leanPullSecret, leanServiceAccount } from './cache.ts';
import { PodLister, type LoopContext } from './context.ts';
import { EventRecorder } from './events.ts';
import { Failures } from './failures.ts';
import { fieldManagerName, withFailureTracking } from './tracking.ts';
import { modeOf } from './management.ts';
import { PullSecretMetrics } from './metrics.ts';
import { ObservedState } from './observed.ts';
import { observerReconciler } from './observer.reconcile.ts';
import { pullSecretReconciler } from './pull-secret.reconcile.ts';
import {
  ConfigResource,
  ImageResource,
  NamespaceResource,
  RoleBindingResource,
  SecretResource,
  ServiceAccountResource,
  ServiceResource,
  type ConfigObject,
  type NamespaceObject,
  type RoleBindingObject,
} from './resources.ts';
import { roleBindingReconciler } from './role-binding.reconcile.ts';
import { NamespaceScope } from './scope.ts';
import { serviceAccountReconciler } from './service-account.reconcile.ts';
import { statusReconciler } from './status.reconcile.ts';
import { TokenBucket, throttled } from './throttle.ts';
import type { PullSecretsSettings } from './flags.ts';
import { WrittenObjects } from './written.ts';

export interface PullSecretsOptions extends PullSecretsSettings {
  /** The operand namespace. */
  namespace: string;
  /** Whether images.config.openshift.io is served (its informer would never sync otherwise). */
  imageApi: boolean;
  /** Whether configs.imageregistry.operator.openshift.io is served; without it the app is Managed. */
  configApi: boolean;
  /** Default: the system clock (ms since the epoch). */
  now?: () => number;
  /** Degraded grace period (60 s). */
  degradedGraceMs?: number;
}

export interface PullSecretsApp {
  context: LoopContext;
  controllers: Record<'serviceAccounts' | 'pullSecrets' | 'imagePullers' | 'observer' | 'status', Controller>;
}

const byName = (name: string) => ({ fieldSelector: `metadata.name=${name}` });
const managed = `${pullSecretsManagedLabel.key}=${pullSecretsManagedLabel.value}`;
const observerKey = { name: 'registry-hosts-and-keys' };
const statusKey = { name: singletonName };

/** Passes a Config event only when it changes what the app does (Managed, Removed, Unmanaged). */
const modeChanged =
  (flag: 'Managed' | 'Removed'): Predicate<ConfigObject> =>
  (ev) =>
    ev.type !== 'update' || modeOf(flag, ev.old) !== modeOf(flag, ev.obj);

/**
 * Wires the five loops onto the manager. Caches are lean: ServiceAccounts and Namespaces cluster-wide
 * (trimmed), Secrets only with this app's label (tokens summarised), RoleBindings only by name, the
 * registry Services, the Image config and the signing-key Secret by name.
 */
export function setupPullSecrets(mgr: Manager, opts: PullSecretsOptions): PullSecretsApp {
  const now = opts.now ?? (() => Date.now());
  const resync = opts.resyncPeriodMs;
  const serviceAccounts = mgr.informer(ServiceAccountResource, { transform: leanServiceAccount, resyncPeriodMs: resync });
  const secrets = mgr.informer(SecretResource, { labelSelector: managed, transform: leanPullSecret, resyncPeriodMs: resync });
  const namespaces = mgr.informer(NamespaceResource, { transform: leanNamespace });
  const roleBindings = mgr.informer(RoleBindingResource, { ...byName(imagePullersRoleBinding), transform: leanRoleBinding });
  const configInformer = opts.configApi ? mgr.informer(ConfigResource, byName(singletonName)) : undefined;
  const configs = configInformer ?? { get: () => undefined };
  const operandService = mgr.informer(ServiceResource, { namespace: opts.namespace, ...byName('image-registry') });
  const legacyService = mgr.informer(ServiceResource, { namespace: 'default', ...byName('docker-registry') });
  const images = opts.imageApi ? mgr.informer(ImageResource, byName(singletonName)) : undefined;
  const signingKeys = mgr.informer(SecretResource, {
    namespace: serviceAccountSigningKeySecret.namespace,
    ...byName(serviceAccountSigningKeySecret.name),
  });

  const client = throttled(mgr.client, new TokenBucket({ qps: opts.qps, burst: opts.burst }));
  const metrics = new PullSecretMetrics(mgr.registry, () => secrets.size);
  const observed = new ObservedState();
  // The status loop is made last (it reads the context); failures and observations reach it through this.
  const late: { status?: Controller } = {};
  const failures = new Failures(() => late.status?.enqueue(statusKey, 1000));
  const context: LoopContext = {
    client,
    serviceAccounts,
    secrets,
    namespaces,
    configs,
    scope: new NamespaceScope({
      ignoredNamespaces: opts.ignoredNamespaces,
      ignoreSystemNamespaces: opts.ignoreSystemNamespaces,
      operandNamespace: opts.namespace,
    }),
    observed,
    metrics,
    failures,
    events: new EventRecorder({ client, component: fieldManagerName(mgr.name), now, log: mgr.logger }),
    writtenServiceAccounts: new WrittenObjects(),
    writtenSecrets: new WrittenObjects(),
    managementState: opts.managementState,
    removalMinAgeMs: opts.removalMinAgeMs,
    now,
    log: mgr.logger,
    pods: new PodLister({ client, now }),
  };
  const services = {
    get: (key: { namespace?: string; name: string }) =>
      key.namespace === 'default' ? legacyService.get(key) : operandService.get(key),
  };

  const saKeysOfNamespace = (ns: NamespaceObject) =>
    serviceAccounts.list({ namespace: ns.metadata?.name ?? '' }).map((sa) => ({ namespace: ns.metadata?.name ?? '', name: sa.metadata?.name ?? '' }));
  const nsStateChanged: Predicate<NamespaceObject> = (ev) =>
    ev.type === 'add' || (ev.type === 'update' && (ev.old?.metadata?.deletionTimestamp !== ev.obj.metadata?.deletionTimestamp || ev.old?.status?.phase !== ev.obj.status?.phase));
  const workers = opts.concurrency;

  const serviceAccountsController = mgr
    .controller({ name: 'service-account', workers, reconcile: withFailureTracking(context, serviceAccountReconciler(context)) })
    .for(serviceAccounts)
    .watches(secrets, (s) => {
      const sa = s.metadata?.annotations?.[pullSecretAnnotations.serviceAccount];
      return sa && s.metadata?.namespace ? { namespace: s.metadata.namespace, name: sa } : undefined;
    })
    .watches(namespaces, saKeysOfNamespace, { predicate: nsStateChanged });

  const pullSecretsController = mgr
    .controller({ name: 'pull-secret', workers, reconcile: withFailureTracking(context, pullSecretReconciler(context)) })
    .for(secrets)
    .watches(serviceAccounts, (sa) => secrets.byOwner(sa.metadata?.uid ?? '').map(keyOf));
  observed.onChange(() => {
    for (const s of secrets.list()) pullSecretsController.enqueue(keyOf(s));
  });

  const imagePullersController = mgr
    .controller({ name: 'image-pullers', workers: Math.min(workers, 4), reconcile: roleBindingReconciler(context, roleBindings) })
    .watches(namespaces, (ns) => ({ name: ns.metadata?.name ?? '' }), { predicate: nsStateChanged })
    .watches(roleBindings, (rb) => ({ name: rb.metadata?.namespace ?? '' }));

  const observerController = mgr
    .controller({
      name: 'registry-hosts',
      reconcile: observerReconciler({
        client,
        services,
        images,
        signingKeys,
        additionalHosts: opts.additionalRegistryHosts,
        operandNamespace: opts.namespace,
        observed,
        metrics,
      }),
    })
    .watches(operandService, () => observerKey)
    .watches(legacyService, () => observerKey)
    .watches(signingKeys, () => observerKey)
    // Namespaces always exist: they make the loop run once at start even when nothing else does.
    .watches(namespaces, () => observerKey, { predicate: (ev) => ev.type === 'add' });
  if (images) observerController.watches(images, () => observerKey);
  observed.onChange(() => late.status?.enqueue(statusKey, 1000));

  const statusController = mgr.controller({
    name: 'pull-secrets-status',
    reconcile: statusReconciler(context, { graceMs: opts.degradedGraceMs ?? 60_000 }),
  });
  if (configInformer) {
    // A change of mode (Managed, Removed, Unmanaged) re-runs every loop over everything it covers.
    const predicate = modeChanged(opts.managementState);
    serviceAccountsController.watches(configInformer, () => serviceAccounts.list().map(keyOf), { predicate });
    pullSecretsController.watches(configInformer, () => secrets.list().map(keyOf), { predicate });
    imagePullersController.watches(configInformer, () => namespaces.list().map((ns) => ({ name: ns.metadata?.name ?? '' })), { predicate });
    statusController.watches(configInformer, () => statusKey);
  }
  late.status = statusController;

  return {
    context,
    controllers: {
      serviceAccounts: serviceAccountsController,
      pullSecrets: pullSecretsController,
      imagePullers: imagePullersController,
      observer: observerController,
      status: statusController,
    },
  };
}

function keyOf(obj: { metadata?: { namespace?: string; name?: string } }) {
  return { namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' };
}

function leanRoleBinding(rb: RoleBindingObject): RoleBindingObject {
  const { managedFields: _m, ...metadata } = rb.metadata ?? {};
  return { apiVersion: rb.apiVersion, kind: rb.kind, metadata, roleRef: rb.roleRef, subjects: rb.subjects } as RoleBindingObject;
}
