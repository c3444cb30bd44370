import { Resources, type Controller, type Informer, type Manager } from '@image-registry/controller-runtime';
import { CertificatesReconciler } from './certificates.reconcile.ts';
import type { ConfigConditions, Reader } from './config-conditions.ts';
import { ConfigMapResource, ImageResource, names, ServiceResource, type ConfigMapObject, type ConfigObject } from './resources.ts';

export interface CertificatesControllerOptions {
  namespace: string;
  configNamespace: string;
  publishedNamespace: string;
  publish: 'auto' | 'true' | 'false';
  /**
   * Whether the published namespace is there to be read and written (decided at start: on plain
   * Kubernetes it usually is not, and no permission there is granted).
   */
  publishedNamespaceInUse: boolean;
  configs: Informer<ConfigObject>;
  conditions: ConfigConditions;
}

/** The one key: both ConfigMaps are a function of all inputs at once. */
const key = { name: names.certificates };
const byName = (name: string) => ({ fieldSelector: `metadata.name=${name}` });

/**
 * Watches every input of the CA bundle (Config, Image config, the Service, serviceca, the user's
 * ConfigMaps in the config namespace, the cloud CA) and both outputs, to repair edits. Informers
 * are narrowed by name wherever the name is fixed, so RBAC can name them too.
 */
export function setupCertificatesController(
  mgr: Manager,
  opts: CertificatesControllerOptions,
): { controller: Controller; reconciler: CertificatesReconciler } {
  const images = mgr.informer(ImageResource, byName(names.image));
  const services = mgr.informer(ServiceResource, { namespace: opts.namespace, ...byName(names.service) });
  const operandMaps = [names.serviceCA, names.certificates].map((n) =>
    mgr.informer(ConfigMapResource, { namespace: opts.namespace, ...byName(n) }),
  );
  // additionalTrustedCA and storage trustedCA name any ConfigMap there.
  const userMaps = mgr.informer(ConfigMapResource, { namespace: opts.configNamespace });
  const managedMaps = opts.publishedNamespaceInUse
    ? [names.kubeCloudConfig, names.publishedCA].map((n) => mgr.informer(ConfigMapResource, { namespace: opts.publishedNamespace, ...byName(n) }))
    : [];
  // Always there: the bundle is written even before any input exists.
  const operandNamespace = mgr.informer(Resources.Namespace, byName(opts.namespace));
  const configMaps: Reader<ConfigMapObject> = {
    get: (k) => [...operandMaps, userMaps, ...managedMaps].map((i) => i.get(k)).find((o) => o !== undefined),
  };

  const reconciler = new CertificatesReconciler({
    client: mgr.client,
    namespace: opts.namespace,
    configNamespace: opts.configNamespace,
    publishedNamespace: opts.publishedNamespace,
    publish: opts.publishedNamespaceInUse && opts.publish !== 'false',
    configs: opts.configs,
    images,
    services,
    configMaps,
    conditions: opts.conditions,
  });
  const controller = mgr.controller({ name: 'image-registry-certificates', reconcile: reconciler.reconcile });
  for (const inf of [opts.configs, images, services, ...operandMaps, userMaps, ...managedMaps, operandNamespace]) {
    controller.watches(inf as Informer<ConfigObject>, () => key);
  }
  return { controller, reconciler };
}
