import { configFinalizer, singletonName, type Config } from '@image-registry/api';
import { findCondition, type Condition, type DesiredCondition } from '@image-registry/conditions';
import {
  Resources,
  type KubeClient,
  type OwnWrites,
  type ReconcileContext,
  type Result,
  type EventRecorder,
} from '@image-registry/controller-runtime';
import { StorageConditionTypes as T, StorageError, storageExistsCondition } from './drivers/driver.ts';
import type { DriverLoader } from './driver-loader.ts';
import { asExpected, type FailurePublisher } from './failure-publisher.ts';
import type { Inputs } from './inputs.ts';
import type { ObjectReader } from './object-reader.ts';
import { removeFailure } from './provision-failure.ts';
import { backendOf } from './published.ts';
import { privateConfigurationSecretName } from './render/private-configuration.ts';
import { ConfigResource, configRef } from './resources.ts';
import type { ConfigRaw, StatusWriter } from './status-writer.ts';
import type { StorageSpec } from './storage-types.ts';

export interface StorageRemovalOptions {
  client: KubeClient;
  /** Read-your-own-writes of the Config, shared with the StatusWriter. */
  writes: OwnWrites<ConfigRaw>;
  reader: ObjectReader;
  /** The operand namespace (the private-configuration Secret). */
  namespace: string;
  inputs: Inputs;
  status: StatusWriter;
  failures: FailurePublisher;
  drivers: DriverLoader;
  /** Events for the admin (storage deleted). */
  events?: EventRecorder | undefined;
}

/** The JSON patch that releases our finalizer; its test fails it if the list changed since it was read. */
export function finalizerReleasePatch(finalizers: readonly string[]): object[] {
  return [
    { op: 'test', path: '/metadata/finalizers', value: finalizers },
    {
      op: 'replace',
      path: '/metadata/finalizers',
      value: finalizers.filter((f) => f !== configFinalizer),
    },
  ];
}

/**
 * Whether removal deletes the published storage. Both must say Managed: status records what this
 * app decided for that storage, spec lets the admin veto deletion at any time by setting Unmanaged.
 */
export function removalDeletesStorage(config: Config, published: StorageSpec): boolean {
  return (
    config.spec.storage?.managementState === 'Managed' &&
    (published.managementState ?? 'Managed') === 'Managed'
  );
}

/** StorageExists as last published, to publish again when removal does not change it. */
export function publishedExistsCondition(conditions: readonly Condition[]): DesiredCondition | undefined {
  const previous = findCondition(conditions, T.exists);
  return (
    previous && {
      type: T.exists,
      status: previous.status,
      reason: previous.reason ?? '',
      message: previous.message ?? '',
    }
  );
}

/** Removal of the registry's storage on managementState Removed; the finalizer on deletion of the Config. */
export class StorageRemoval {
  private readonly opts: StorageRemovalOptions;

  constructor(opts: StorageRemovalOptions) {
    this.opts = opts;
  }

  /**
   * Deletion of the Config: release the finalizer and keep the storage. Only an explicit
   * `managementState: Removed` deletes Managed storage; a Config that goes away with its CRD or an
   * uninstall must never take the images with it (issue #20; upstream deletes here, we do not).
   */
  async finalize(raw: ConfigRaw, ctx: ReconcileContext): Promise<Result> {
    const finalizers = raw.metadata.finalizers ?? [];
    if (!finalizers.includes(configFinalizer)) return;
    const backend = backendOf(this.opts.status.written(raw).storage);
    await this.opts.client.patch(ConfigResource, { name: singletonName }, finalizerReleasePatch(finalizers), {
      type: 'json',
    });
    this.opts.writes.forget({ name: singletonName });
    ctx.log.info({ backend }, 'finalizer removed; the storage is kept (only managementState Removed deletes it)');
  }

  /**
   * Removed (and deletion): delete the published storage when it is Managed, then clear
   * `status.storage` and the Secret. Storage that is Unmanaged, or that the spec no longer names
   * (after a switch of backend), is never touched.
   */
  async teardown(raw: ConfigRaw, config: Config, ctx: ReconcileContext): Promise<void> {
    const { client, reader, namespace, status, failures } = this.opts;
    const { storage: published, conditions } = status.written(raw);
    const backend = backendOf(published);
    let exists = publishedExistsCondition(conditions);
    if (backend) {
      if (removalDeletesStorage(config, published)) {
        const cluster = await this.opts.inputs.cluster();
        const driver = await this.opts.drivers.load(raw, config, backend, cluster, ctx.signal);
        try {
          exists = (await driver.removeStorage(published[backend] as never)).condition;
          ctx.log.info({ backend, storage: driver.id(published[backend] as never) }, 'storage removed');
          this.opts.events?.normal(configRef, 'StorageDeleted', 'Delete', `Deleted ${backend} storage ${driver.id(published[backend] as never)}: managementState is Removed.`);
        } catch (err) {
          // A deposed leader stops here: its successor resumes the removal.
          ctx.signal.throwIfAborted();
          if (!(err instanceof StorageError)) throw err;
          await failures.publish(raw, removeFailure(err), err.conditions);
          throw err;
        } finally {
          driver.dispose?.();
        }
      } else {
        exists = storageExistsCondition(
          'False',
          'StorageUnmanaged',
          'The registry is removed; its storage is Unmanaged and was left untouched.',
        );
      }
    }
    const secretKey = { namespace, name: privateConfigurationSecretName };
    if (await reader.get(Resources.Secret, secretKey)) await client.delete(Resources.Secret, secretKey);
    failures.recovered();
    await status.apply(raw, [...(exists ? [exists] : []), asExpected], {});
  }
}
