import type { Controller, KubeObject, Manager } from '@image-registry/controller-runtime';
import type { BackendKind } from './api-discovery.ts';
import { ingressBackend, routeBackend, type Backend } from './backends.ts';
import { ConditionBoard } from './condition-board.ts';
import type { RoutesFlags } from './flags.ts';
import { ImageConfigReconciler } from './image-config.reconcile.ts';
import { FailureInertia } from './inertia.ts';
import { RoutesReconciler } from './routes.reconcile.ts';
import {
  ConfigResource,
  ImageResource,
  IngressConfigResource,
  SecretResource,
  ServiceResource,
  names,
} from './resources.ts';

export interface RoutesAppOptions extends Omit<RoutesFlags, 'routeApi' | 'discoveryIntervalMs'> {
  namespace: string;
  backend: BackendKind;
  /** Whether `ingresses.config.openshift.io` is served (default true): without it the router assigns hosts. */
  ingressConfigServed?: boolean;
  /** Upstream's ImageConfigControllerDegraded inertia (2 minutes). */
  imageConfigInertiaMs?: number;
  now?: () => Date;
}

/** Upstream's controller Degraded inertia for the image config (reference/upstream-inventory.md §13). */
export const imageConfigInertiaMs = 2 * 60_000;

const key = { name: names.config };
const byName = (name: string) => ({ fieldSelector: `metadata.name=${name}` });

/**
 * Wires the app's two controllers onto the manager. They share the caches: Config/cluster, the
 * registry Service, the routes (Routes or Ingresses) in the operand namespace. Each has one key: its
 * output is a function of all inputs at once.
 */
export function setupRoutesApp(
  mgr: Manager,
  opts: RoutesAppOptions,
): { routes: Controller; imageConfig: Controller; backend: Backend } {
  const configs = mgr.informer(ConfigResource, byName(names.config));
  const images = mgr.informer(ImageResource, byName(names.image));
  const services = mgr.informer(ServiceResource, { namespace: opts.namespace, ...byName(names.service) });
  const secrets = mgr.informer(SecretResource, { namespace: opts.namespace });
  const ingressConfigs =
    opts.backend === 'Route' && opts.ingressConfigServed !== false
      ? mgr.informer(IngressConfigResource, byName(names.ingressConfig))
      : undefined;
  const backend: Backend =
    opts.backend === 'Route'
      ? (routeBackend({ ingressConfigs: ingressConfigs ?? { get: () => undefined } }) as unknown as Backend)
      : (ingressBackend({
          domain: opts.domain,
          ingressClassName: opts.ingressClassName,
          annotations: opts.annotations,
          servicePort: 5000,
        }) as unknown as Backend);
  const objects = mgr.informer<KubeObject>(backend.resource, { namespace: opts.namespace });
  const board = new ConditionBoard({ client: mgr.client, configs, ...(opts.now ? { now: opts.now } : {}) });

  const routesReconciler = new RoutesReconciler({
    client: mgr.client,
    backend,
    configs,
    objects,
    secrets,
    board,
    namespace: opts.namespace,
  });
  const routes = mgr
    .controller({ name: 'routes', reconcile: routesReconciler.reconcile })
    .watches(configs, () => key)
    .watches(objects, () => key)
    .watches(secrets, () => key);
  if (ingressConfigs) routes.watches(ingressConfigs, () => key);

  const imageConfigReconciler = new ImageConfigReconciler({
    client: mgr.client,
    backend,
    images,
    services,
    objects,
    board,
    inertia: new FailureInertia({
      windowMs: opts.imageConfigInertiaMs ?? imageConfigInertiaMs,
      ...(opts.now ? { now: toMs(opts.now) } : {}),
    }),
    namespace: opts.namespace,
  });
  const imageConfig = mgr
    .controller({ name: 'image-config', reconcile: imageConfigReconciler.reconcile })
    .watches(images, () => key)
    .watches(services, () => key)
    .watches(objects, () => key)
    .watches(configs, () => key);
  return { routes, imageConfig, backend };
}

const toMs = (now: () => Date) => () => now().getTime();
