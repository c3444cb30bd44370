import type { Reconcile } from '@image-registry/controller-runtime';
import type { ConfigConditions, Reader } from './config-conditions.ts';
import { ensureConfigMap } from './config-map-apply.ts';
import { renderCertificates } from './render/certificates.ts';
import { storageCASource } from './render/storage-ca.ts';
import { names, type ConfigMapObject, type ConfigObject, type ImageObject, type ServiceObject } from './resources.ts';

export interface CertificatesReconcilerOptions {
  client: Parameters<typeof ensureConfigMap>[0];
  /** The operand namespace. */
  namespace: string;
  configNamespace: string;
  publishedNamespace: string;
  /** Write image-registry-ca into the published namespace. */
  publish: boolean;
  configs: Reader<ConfigObject>;
  images: Reader<ImageObject>;
  services: Reader<ServiceObject>;
  /** ConfigMaps of the operand, config and published namespaces. */
  configMaps: Reader<ConfigMapObject>;
  conditions: ConfigConditions;
}

/** A user input that is missing; reported as Degraded with what to do. */
class MissingInputError extends Error {
  override name = 'MissingInputError';
}

/**
 * Controller `image-registry-certificates` (§9.2, §9.3): renders both CA ConfigMaps from the caches
 * and applies them, whatever the managementState; reports ImageRegistryCertificatesControllerDegraded.
 * When an input the user named is missing, nothing is applied, so the CAs nodes already trust stay.
 */
export class CertificatesReconciler {
  private readonly opts: CertificatesReconcilerOptions;

  constructor(opts: CertificatesReconcilerOptions) {
    this.opts = opts;
  }

  readonly reconcile: Reconcile = async (_req, ctx) => {
    const { opts } = this;
    try {
      const rendered = renderCertificates(this.inputs());
      await ensureConfigMap(opts.client, rendered.certificates, ctx.log, ctx.signal);
      if (opts.publish) await ensureConfigMap(opts.client, rendered.published, ctx.log, ctx.signal);
    } catch (err) {
      const message = (err as Error).message;
      await opts.conditions.set(
        [{ type: 'ImageRegistryCertificatesControllerDegraded', status: 'True', reason: 'Error', message }],
        ctx.log,
        ctx.signal,
      );
      // A missing ConfigMap is retried when it appears (it is watched), not on a timer.
      if (err instanceof MissingInputError) {
        ctx.log.warn({ err: message }, 'certificates not updated');
        return;
      }
      throw err;
    }
    await opts.conditions.set(
      [{ type: 'ImageRegistryCertificatesControllerDegraded', status: 'False', reason: 'AsExpected' }],
      ctx.log,
      ctx.signal,
    );
  };

  private inputs(): Parameters<typeof renderCertificates>[0] {
    const { opts } = this;
    const config = opts.configs.get({ name: names.config });
    const image = opts.images.get({ name: names.image });
    const service = opts.services.get({ namespace: opts.namespace, name: names.service });
    const serviceCA = opts.configMaps.get({ namespace: opts.namespace, name: names.serviceCA })?.data?.[names.serviceCAKey];

    let additional: ConfigMapObject | undefined;
    const additionalName = image?.spec?.additionalTrustedCA?.name;
    if (additionalName) {
      additional = opts.configMaps.get({ namespace: opts.configNamespace, name: additionalName });
      if (!additional) {
        throw new MissingInputError(
          `configmap "${additionalName}" not found in namespace ${opts.configNamespace}: create it, or change ` +
            'spec.additionalTrustedCA.name of images.config.openshift.io/cluster',
        );
      }
    }

    let storageCA: string | undefined;
    const source = storageCASource(config, { config: opts.configNamespace, managed: opts.publishedNamespace });
    if (source) {
      const cm = opts.configMaps.get({ namespace: source.namespace, name: source.name });
      storageCA = cm?.data?.[source.key] || undefined;
      if (source.required && storageCA === undefined) {
        throw new MissingInputError(
          `configmap "${source.name}" in namespace ${source.namespace} has no key ${source.key} (named by ${source.field} ` +
            'of configs.imageregistry.operator.openshift.io/cluster): create it with the storage CA bundle, or clear the field',
        );
      }
    }

    const port = service?.spec?.ports?.[0]?.port;
    return {
      namespace: opts.namespace,
      publishedNamespace: opts.publishedNamespace,
      service: service ? { name: names.service, port } : undefined,
      serviceCA,
      additional,
      storageCA,
      disableRedirect: config?.spec?.disableRedirect === true,
    };
  }
}
