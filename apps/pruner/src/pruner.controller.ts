import type { Controller, Manager } from '@image-registry/controller-runtime';
import { prunerCaches } from './caches.ts';
import type { PrunerSetup } from './flags.ts';
import { InstallStatusMetric } from './install-metric.ts';
import { prunerName } from './render/names.ts';
import { prunerReconciler } from './pruner.reconcile.ts';
import { observePruner } from './observability.ts';

/**
 * The `image-pruner` controller. Everything it reads maps to the one key `cluster`: the CronJob is a
 * function of the ImagePruner, the Config's managementState, the registry hostname and (for our
 * job) the registry Deployment; the status also reads the Jobs.
 */
export function setupPrunerController(mgr: Manager, setup: PrunerSetup & { hasImageConfig: boolean; now?: () => Date }): Controller {
  const caches = prunerCaches(mgr, setup);
  const controller = mgr.controller({
    name: 'image-pruner',
    reconcile: prunerReconciler({
      client: mgr.client,
      caches,
      setup,
      metric: new InstallStatusMetric(mgr.registry),
      ...(setup.now ? { now: setup.now } : {}),
    }),
  });
  observePruner(mgr, caches, setup.namespace);
  const key = () => ({ name: prunerName });
  controller.watches(caches.pruner, key).watches(caches.config, key).watches(caches.jobs, key).watches(caches.namespace, key);
  if (caches.imageConfig) controller.watches(caches.imageConfig, key);
  if (caches.registryDeployment) controller.watches(caches.registryDeployment, key);
  for (const informer of caches.owned) controller.watches(informer, key);
  return controller;
}
