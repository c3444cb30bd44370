import {
  isAlreadyExists,
  type KubeClient,
  type KubeObject,
  type Reconcile,
} from '@image-registry/controller-runtime';
import { ownedBy, type Backend } from './backends.ts';
import type { ConditionBoard } from './condition-board.ts';
import type { FailureInertia } from './inertia.ts';
import type { Lister, Reader } from './reader.ts';
import { conditionTypes, degraded } from './render/conditions.ts';
import { externalRegistryHostnames, internalRegistryHostname } from './render/hostnames.ts';
import { ImageResource, names, type ImageObject, type ServiceObject } from './resources.ts';

export interface ImageConfigReconcilerOptions {
  client: Pick<KubeClient, 'create' | 'get' | 'applyStatus'>;
  backend: Backend;
  images: Reader<ImageObject>;
  services: Reader<ServiceObject>;
  objects: Lister<KubeObject>;
  board: Pick<ConditionBoard, 'set'>;
  inertia: FailureInertia;
  namespace: string;
}

/**
 * Publishes the registry's hostnames in `images.config.openshift.io/cluster` status (upstream §8):
 * the internal one while the Service exists, the external ones from the routes this app owns. The
 * status apply is skipped when the Image already shows it. Failures become
 * ImageConfigControllerDegraded only after upstream's two minutes of inertia.
 */
export class ImageConfigReconciler {
  private readonly opts: ImageConfigReconcilerOptions;
  /** The Image as last written by this process: newer than the cache until the watch catches up. */
  private written: ImageObject | undefined;

  constructor(opts: ImageConfigReconcilerOptions) {
    this.opts = opts;
  }

  readonly reconcile: Reconcile = async (_req, ctx) => {
    const { opts } = this;
    try {
      await this.publish(ctx.log);
    } catch (err) {
      if (opts.inertia.failed()) {
        const message = `unable to sync image config: ${err instanceof Error ? err.message : String(err)}`;
        await opts.board.set(degraded(conditionTypes.imageConfig, { reason: 'Error', message })).catch(() => undefined);
      }
      throw err; // retried with backoff; the inertia window keeps counting
    }
    opts.inertia.succeeded();
    await opts.board.set(degraded(conditionTypes.imageConfig, undefined));
  };

  private async publish(log: { info(o: object, m: string): void }): Promise<void> {
    const { opts } = this;
    let image = newer(opts.images.get({ name: names.image }), this.written);
    if (!image) {
      image = await this.create();
      log.info({}, 'created images.config.openshift.io/cluster');
    }
    const service = opts.services.get({ namespace: opts.namespace, name: names.service });
    const published = ownedBy(opts.objects.list(), opts.namespace).map((o) => ({
      name: o.metadata?.name ?? '',
      hosts: opts.backend.hosts(o),
    }));
    const desired: ImageObject = {
      apiVersion: ImageResource.apiVersion,
      kind: ImageResource.kind,
      metadata: { name: names.image },
      status: {
        internalRegistryHostname: internalRegistryHostname(service),
        externalRegistryHostnames: externalRegistryHostnames(published, names.defaultRoute),
      },
    };
    const result = await opts.client.applyStatus(ImageResource, desired, { current: image });
    if (result !== image) {
      this.written = result;
      log.info({ status: desired.status }, 'published registry hostnames');
    }
  }

  /** Creates the Image with an empty spec; tolerates a concurrent creator. */
  private async create(): Promise<ImageObject> {
    const { client } = this.opts;
    const empty: ImageObject = {
      apiVersion: ImageResource.apiVersion,
      kind: ImageResource.kind,
      metadata: { name: names.image },
      spec: {},
    };
    try {
      return await client.create(ImageResource, empty);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const live = await client.get(ImageResource, { name: names.image });
      if (!live) throw new Error('images.config.openshift.io/cluster was reported to exist but is gone; retrying', { cause: err });
      return live;
    }
  }
}

/** The more recent of the cached object and our last write (same incarnation, higher resourceVersion). */
function newer<T extends KubeObject>(cached: T | undefined, written: T | undefined): T | undefined {
  if (!cached || !written || cached.metadata?.uid !== written.metadata?.uid) return cached;
  const c = Number(cached.metadata?.resourceVersion);
  const w = Number(written.metadata?.resourceVersion);
  return Number.isFinite(c) && Number.isFinite(w) && w > c ? written : cached;
}
