import { platformDefaultStorage, type Config } from '@image-registry/api';
import {
  Resources,
  TerminalError,
  ownerReference,
  type KubeClient,
  type KubeObject,
  type OwnWrites,
  type ReconcileContext,
  type EventRecorder,
  type Result,
} from '@image-registry/controller-runtime';
import { StorageError, type StorageDriver, type StorageManagementState } from './drivers/driver.ts';
import type { DriverLoader } from './driver-loader.ts';
import { asExpected, type FailurePublisher } from './failure-publisher.ts';
import type { Inputs } from './inputs.ts';
import { provisionFailure, syncFailure } from './provision-failure.ts';
import { publishedStorage } from './published.ts';
import { privateConfigurationSecret } from './render/private-configuration.ts';
import { ConfigResource, configRef } from './resources.ts';
import type { ConfigRaw, StatusWriter } from './status-writer.ts';
import {
  needsPlatformDefault,
  planBackend,
  planManagementState,
  planSpecApply,
  requeueAfter,
} from './storage.plan.ts';
import type { Backend, StorageSpec } from './storage-types.ts';

export interface StorageProvisionOptions {
  client: KubeClient;
  /** Read-your-own-writes of the Config, shared with the StatusWriter. */
  writes: OwnWrites<ConfigRaw>;
  /** The operand namespace (the private-configuration Secret). */
  namespace: string;
  inputs: Inputs;
  status: StatusWriter;
  failures: FailurePublisher;
  drivers: DriverLoader;
  /** Re-check storage this often when nothing changes (repairs drift of bucket settings). */
  resyncMs: number;
  /** Events for the admin (storage created). */
  events?: EventRecorder | undefined;
}

/** Managed: the I/O that follows the plan — complete `spec.storage`, provision, publish. */
export class StorageProvision {
  private readonly opts: StorageProvisionOptions;

  constructor(opts: StorageProvisionOptions) {
    this.opts = opts;
  }

  async provision(raw: ConfigRaw, config: Config, ctx: ReconcileContext): Promise<Result> {
    const { inputs, failures } = this.opts;
    const cluster = await inputs.cluster();
    const spec = config.spec.storage;
    let platform = cluster.platform;
    if (needsPlatformDefault(spec) && !cluster.hasInfrastructure) platform = await inputs.platformFromNodes();
    const plan = planBackend(spec, platform, platformDefaultStorage(platform) as StorageSpec | undefined);
    if (plan.kind === 'failure') return failures.terminal(raw, plan.failure);
    const { backend, storage } = plan;

    const driver = await this.opts.drivers.load(raw, config, backend, cluster, ctx.signal);
    try {
      const completion = driver.completeConfiguration((storage[backend] ?? {}) as never);
      const probe = await driver.storageExists(completion.config);
      const managementState = planManagementState({
        storage,
        backend,
        completion,
        published: this.opts.status.written(raw).storage,
        managedFields: raw.metadata.managedFields,
        fieldManager: this.opts.client.fieldManager,
        exists: probe.exists,
      });
      // Intent first: the names and the decision are recorded before anything is created, so a restart
      // finds the same bucket under the same name and knows it is ours.
      let current = await this.applySpec(raw, backend, completion.config, managementState);
      const created = await driver.createStorage(completion.config, managementState, probe.exists);
      if (created.created) {
        ctx.log.info({ backend, storage: driver.id(created.config) }, 'storage created');
        this.opts.events?.normal(configRef, 'StorageCreated', 'Create', `Created ${backend} storage ${driver.id(created.config)} for the registry.`);
      }
      current = await this.applySpec(current, backend, created.config, managementState);
      // The Secret before status.storage: the registry is never pointed at storage it has no credentials for.
      await this.applySecret(current, driver);
      failures.recovered();
      await this.opts.status.apply(
        current,
        [...created.conditions, asExpected],
        publishedStorage(backend, created.config, managementState),
      );
      return { requeueAfterMs: requeueAfter(created.conditions, this.opts.resyncMs) };
    } catch (err) {
      ctx.signal.throwIfAborted();
      if (!(err instanceof StorageError)) {
        // An API error (RBAC, a webhook, a conflict): say so if the status can still be written, then retry.
        await failures.publish(raw, syncFailure(driver, err), []).catch(() => undefined);
        throw err;
      }
      const failure = provisionFailure(driver, err, this.opts.namespace);
      await failures.publish(raw, failure, err.conditions);
      throw failure.terminal ? new TerminalError(err.message, { cause: err }) : err;
    } finally {
      driver.dispose?.();
    }
  }

  /** Applies the finalizer, the management state and the spec fields this app fills in or owns. */
  private async applySpec(
    raw: ConfigRaw,
    backend: Backend,
    config: unknown,
    managementState: StorageManagementState,
  ): Promise<ConfigRaw> {
    const { client } = this.opts;
    const body = planSpecApply(raw, client.fieldManager, backend, config, managementState);
    // Skipped without a request when `raw` already carries all of it.
    return this.opts.writes.remember(
      (await client.apply(ConfigResource, body, { current: raw })) as ConfigRaw,
    );
  }

  private async applySecret(raw: ConfigRaw, driver: StorageDriver): Promise<void> {
    const owner = ownerReference(raw, { controller: false, blockOwnerDeletion: false });
    await this.opts.client.apply(
      Resources.Secret,
      privateConfigurationSecret(this.opts.namespace, driver.privateConfiguration(), owner) as KubeObject,
    );
  }
}
