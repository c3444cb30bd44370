import { configFinalizer, parseConfig, singletonName, type Config } from '@image-registry/api';
import { findCondition, type DesiredCondition } from '@image-registry/conditions';
import {
  Resources,
  TerminalError,
  ownerReference,
  systemClock,
  type Clock,
  type KubeClient,
  type KubeObject,
  type ReconcileContext,
  type Request,
  type ResourceType,
  type Result,
} from '@image-registry/controller-runtime';
import type { ClusterFacts } from './cluster.ts';
import { CredentialsError, cloudSecretName, userSecretName } from './credentials.ts';
import { degradedCondition, type Failure } from './degraded.ts';
import {
  StorageConditionTypes as T,
  StorageError,
  errorMessage,
  storageExistsCondition,
  type StorageDriver,
  type StorageManagementState,
} from './drivers/driver.ts';
import { createDriver, type DriverEnvironment } from './drivers/factory.ts';
import { Inputs } from './inputs.ts';
import { appliedChildren, fieldOwners, otherOwners } from './managed-fields.ts';
import { decideManagementState } from './management-state.ts';
import { platformDefaultStorage } from './platform.ts';
import { backendOf, nameField, publishedStorage, storageIdentity } from './published.ts';
import { configSpecApply, specFieldsToApply } from './render/config-apply.ts';
import {
  privateConfigurationSecret,
  privateConfigurationSecretName,
} from './render/private-configuration.ts';
import { ConfigResource } from './resources.ts';
import { selectBackend } from './selection.ts';
import { StatusWriter, type ConfigRaw } from './status-writer.ts';
import type { Backend, StorageSpec } from './storage-types.ts';

/** Reads objects the reconcile depends on: the informer caches in the app. */
export interface ObjectReader {
  get<T extends KubeObject>(res: ResourceType<T>, key: Request): T | undefined | Promise<T | undefined>;
}

export interface StorageReconcilerOptions {
  client: KubeClient;
  reader: ObjectReader;
  /** The operand namespace (secrets, the claim). */
  namespace: string;
  /** Where `spec.storage.s3.trustedCA` ConfigMaps live (`openshift-config`). */
  configNamespace: string;
  /** `--infrastructure-name`; empty: derived from the kube-system namespace UID. Infrastructure/cluster wins. */
  infrastructureName: string | undefined;
  /** Whether the Infrastructure API exists (absent on plain Kubernetes). */
  infrastructureApi: boolean;
  drivers: Omit<DriverEnvironment, 'namespace' | 'claims'>;
  /** How long a retried failure lasts before StorageControllerDegraded turns True. */
  degradedAfterMs: number;
  /** Re-check storage this often when nothing changes (repairs drift of bucket settings). */
  resyncMs: number;
  clock?: Clock;
}

const configKey: Request = { name: singletonName };
const asExpected = degradedCondition(undefined, 0, 0);

/**
 * Reconciles `Config/cluster`'s storage: completes `spec.storage`, provisions the backend, publishes
 * `status.storage`, the private-configuration Secret and the Storage* conditions, and tears managed
 * storage down on Removed and on deletion (finalizer).
 */
export class StorageReconciler {
  private readonly opts: StorageReconcilerOptions;
  private readonly clock: Clock;
  private readonly inputs: Inputs;
  private readonly status: StatusWriter;
  /** Since when the current failure has lasted (in memory: a restart starts the grace period again). */
  private failingSince: number | undefined;

  constructor(opts: StorageReconcilerOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
    this.inputs = new Inputs(opts);
    this.status = new StatusWriter({ client: opts.client, clock: this.clock });
  }

  readonly reconcile = async (req: Request, ctx: ReconcileContext): Promise<Result> => {
    if (req.name !== singletonName || req.namespace) return;
    const raw = (await this.opts.reader.get(ConfigResource, configKey)) as ConfigRaw | undefined;
    if (!raw?.metadata) {
      this.failingSince = undefined;
      return;
    }
    const parsed = parseConfig(raw);
    if (!parsed.ok)
      return this.terminal(raw, {
        reason: 'InvalidConfiguration',
        message: parsed.error.message,
        terminal: true,
      });
    const config = parsed.value;
    if (raw.metadata.deletionTimestamp) return this.finalize(raw, config, ctx);
    switch (config.spec.managementState ?? 'Managed') {
      case 'Removed':
        return this.teardown(raw, config, ctx);
      case 'Unmanaged':
        return this.unmanaged(raw);
      default:
        return this.provision(raw, config, ctx);
    }
  };

  /** Managed: complete `spec.storage`, provision, publish. */
  private async provision(raw: ConfigRaw, config: Config, ctx: ReconcileContext): Promise<Result> {
    const cluster = await this.inputs.cluster();
    let storage: StorageSpec | undefined = config.spec.storage;
    if (selectBackend(storage).kind === 'none') {
      const platform = cluster.hasInfrastructure ? cluster.platform : await this.inputs.platformFromNodes();
      storage = platformDefaultStorage(platform);
      if (!storage) {
        const message = `storage backend not configured: the ${platform} platform has no default storage; set spec.storage to one of s3, gcs, azure, pvc or emptyDir`;
        return this.terminal(raw, { reason: 'StorageNotConfigured', message, terminal: true });
      }
    }
    const selection = selectBackend(storage);
    if (selection.kind === 'none') throw new Error('a platform default storage selects no backend');
    if (selection.kind === 'multiple')
      return this.terminal(raw, {
        reason: 'InvalidStorageConfiguration',
        message: selection.message,
        terminal: true,
      });
    if (selection.kind === 'unsupported')
      return this.terminal(raw, { reason: 'UnsupportedStorage', message: selection.message, terminal: true });
    const backend = selection.backend;

    const driver = await this.driver(raw, config, backend, cluster);
    try {
      const completion = driver.completeConfiguration((storage?.[backend] ?? {}) as never);
      const published = this.status.written(raw).storage[backend];
      if (published && driver.storageChanged(completion.config, published as never)) {
        ctx.log.info({ backend }, 'storage configuration changed; provisioning again');
      }
      const probe = await driver.storageExists(completion.config);
      const managementState = decideManagementState({
        current: storage?.managementState,
        chosenByUser:
          otherOwners(raw.metadata.managedFields, this.opts.client.fieldManager, [
            'spec',
            'storage',
            'managementState',
          ]).length > 0,
        identityChanged: this.identityChanged(raw, backend, completion.config),
        generatedName: completion.generatedName || this.nameIsOurs(raw, backend),
        exists: probe.exists,
      });
      // Intent first: the names and the decision are recorded before anything is created, so a restart
      // finds the same bucket under the same name and knows it is ours.
      let current = await this.applySpec(raw, backend, completion.config, managementState);
      const created = await driver.createStorage(completion.config, managementState, probe.exists);
      if (created.created) ctx.log.info({ backend, storage: driver.id(created.config) }, 'storage created');
      current = await this.applySpec(current, backend, created.config, managementState);
      // The Secret before status.storage: the registry is never pointed at storage it has no credentials for.
      await this.applySecret(current, driver);
      this.failingSince = undefined;
      await this.status.apply(
        current,
        [...created.conditions, asExpected],
        publishedStorage(backend, created.config, managementState),
      );
      const unsettled = created.conditions.some(
        (c) => c.status !== 'True' && c.reason !== 'NotSupportedByEndpoint',
      );
      return { requeueAfterMs: unsettled ? Math.min(60_000, this.opts.resyncMs) : this.opts.resyncMs };
    } catch (err) {
      if (!(err instanceof StorageError)) {
        // An API error (RBAC, a webhook, a conflict): say so if the status can still be written, then retry.
        const message = `Unable to sync ${driver.displayName} storage: ${errorMessage(err)}. The operator keeps retrying.`;
        await this.fail(raw, { reason: 'Error', message, terminal: false }, []).catch(() => undefined);
        throw err;
      }
      await this.fail(
        raw,
        { reason: 'ProvisioningFailed', message: this.failureMessage(driver, err), terminal: !err.retriable },
        err.conditions,
      );
      throw err.retriable ? err : new TerminalError(err.message, { cause: err });
    } finally {
      driver.dispose?.();
    }
  }

  /** Deletion of the Config: tear down like Removed, then release the finalizer. */
  private async finalize(raw: ConfigRaw, config: Config, ctx: ReconcileContext): Promise<Result> {
    const finalizers = raw.metadata.finalizers ?? [];
    if (!finalizers.includes(configFinalizer)) return;
    await this.teardown(raw, config, ctx);
    await this.opts.client.patch(
      ConfigResource,
      configKey,
      [
        { op: 'test', path: '/metadata/finalizers', value: finalizers },
        {
          op: 'replace',
          path: '/metadata/finalizers',
          value: finalizers.filter((f) => f !== configFinalizer),
        },
      ],
      { type: 'json' },
    );
    ctx.log.info('finalizer removed');
  }

  /**
   * Removed (and deletion): delete the published storage when it is Managed, then clear
   * `status.storage` and the Secret. Storage that is Unmanaged, or that the spec no longer names
   * (after a switch of backend), is never touched.
   */
  private async teardown(raw: ConfigRaw, config: Config, ctx: ReconcileContext): Promise<void> {
    const { storage: published, conditions } = this.status.written(raw);
    const backend = backendOf(published);
    const previous = findCondition(conditions, T.exists);
    let exists: DesiredCondition | undefined = previous && {
      type: T.exists,
      status: previous.status,
      reason: previous.reason ?? '',
      message: previous.message ?? '',
    };
    if (backend) {
      // Both must say Managed: status records what this app decided for that storage, spec lets the
      // admin veto deletion at any time by setting Unmanaged.
      const managed =
        config.spec.storage?.managementState === 'Managed' &&
        (published.managementState ?? 'Managed') === 'Managed';
      if (managed) {
        const driver = await this.driver(raw, config, backend, await this.inputs.cluster());
        try {
          exists = (await driver.removeStorage(published[backend] as never)).condition;
          ctx.log.info({ backend, storage: driver.id(published[backend] as never) }, 'storage removed');
        } catch (err) {
          if (!(err instanceof StorageError)) throw err;
          const message = `Unable to remove storage: ${err.message}. The operator keeps retrying; the registry's storage is kept until removal succeeds.`;
          await this.fail(raw, { reason: 'RemoveFailed', message, terminal: false }, err.conditions);
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
    const secretKey = { namespace: this.opts.namespace, name: privateConfigurationSecretName };
    if (await this.opts.reader.get(Resources.Secret, secretKey))
      await this.opts.client.delete(Resources.Secret, secretKey);
    this.failingSince = undefined;
    await this.status.apply(raw, [...(exists ? [exists] : []), asExpected], {});
  }

  /** Unmanaged: nothing is touched; the conditions say so and everything else stays as it is. */
  private async unmanaged(raw: ConfigRaw): Promise<Result> {
    this.failingSince = undefined;
    const degraded: DesiredCondition = {
      type: T.degraded,
      status: 'False',
      reason: 'Unmanaged',
      message: 'The registry configuration is set to unmanaged mode',
    };
    await this.status.apply(
      raw,
      [...this.status.carried(raw, [T.degraded]), degraded],
      this.status.written(raw).storage,
    );
  }

  /** A configuration problem only the admin can fix: Degraded at once, no retry until something changes. */
  private async terminal(raw: ConfigRaw, failure: Failure): Promise<Result> {
    await this.fail(raw, failure, []);
    throw new TerminalError(failure.message);
  }

  /**
   * Publishes a failure: the given conditions over the current ones, Degraded per the grace period.
   * `status.storage` is left as it was: the registry keeps using the last storage that worked.
   */
  private async fail(
    raw: ConfigRaw,
    failure: Failure,
    conditions: readonly DesiredCondition[],
  ): Promise<void> {
    const now = this.clock.now();
    this.failingSince ??= now;
    const replaced = new Set(conditions.map((c) => c.type));
    const degraded = degradedCondition(failure, now - this.failingSince, this.opts.degradedAfterMs);
    await this.status.apply(
      raw,
      [...this.status.carried(raw, [...replaced, T.degraded]), ...conditions, degraded],
      this.status.written(raw).storage,
    );
  }

  /** What the admin reads in StorageControllerDegraded: what failed, and what to check or change. */
  private failureMessage(driver: StorageDriver, err: StorageError): string {
    const head = `Unable to provision ${driver.displayName} storage: ${err.message}.`;
    if (!err.retriable)
      return `${head} Fix the storage or spec.storage; the operator tries again when either changes.`;
    const ns = this.opts.namespace;
    return driver.backend === 'pvc' || driver.backend === 'emptyDir'
      ? `${head} The operator keeps retrying.`
      : `${head} The operator keeps retrying; check that the storage endpoint is reachable and that the credentials in secret ${ns}/${userSecretName} (or ${ns}/${cloudSecretName}) are valid.`;
  }

  /** The backend's driver; unusable credentials are published (naming the secret and key) and thrown. */
  private async driver(
    raw: ConfigRaw,
    config: Config,
    backend: Backend,
    cluster: ClusterFacts,
  ): Promise<StorageDriver> {
    try {
      return createDriver(
        backend,
        await this.inputs.driverInputs(config, backend, cluster),
        this.driverEnvironment(),
      );
    } catch (err) {
      if (!(err instanceof CredentialsError || err instanceof StorageError)) throw err;
      const reason = err instanceof CredentialsError ? 'CredentialsError' : 'ConfigError';
      // A missing cloud secret may still be minted: retry; a secret without its key needs the admin.
      const terminal = err instanceof StorageError ? !err.retriable : !/does not exist/.test(err.message);
      const message = errorMessage(err);
      await this.fail(raw, { reason, message, terminal }, [
        storageExistsCondition('Unknown', reason, message),
      ]);
      throw terminal ? new TerminalError(message, { cause: err }) : err;
    }
  }

  private driverEnvironment(): DriverEnvironment {
    const { client, reader, namespace } = this.opts;
    return {
      ...this.opts.drivers,
      namespace,
      claims: {
        get: async (name) =>
          (await reader.get(Resources.PersistentVolumeClaim, { namespace, name })) as never,
        create: async (claim) =>
          void (await client.create(Resources.PersistentVolumeClaim, claim as KubeObject)),
        delete: (name) => client.delete(Resources.PersistentVolumeClaim, { namespace, name }),
      },
    };
  }

  /** `status.storage` names other storage than the spec now does (a switch of backend or bucket). */
  private identityChanged(raw: ConfigRaw, backend: Backend, completed: unknown): boolean {
    const published = this.status.written(raw).storage;
    if (!backendOf(published)) return false;
    return storageIdentity(published) !== storageIdentity({ [backend]: completed } as StorageSpec);
  }

  /** Only this app ever set the storage name: it generated it. */
  private nameIsOurs(raw: ConfigRaw, backend: Backend): boolean {
    const path = nameField(backend);
    if (!path) return true;
    const owners = fieldOwners(raw.metadata.managedFields, path);
    return owners.length > 0 && owners.every((m) => m === this.opts.client.fieldManager);
  }

  /** Applies the finalizer, the management state and the spec fields this app fills in or owns. */
  private async applySpec(
    raw: ConfigRaw,
    backend: Backend,
    config: unknown,
    managementState: StorageManagementState,
  ): Promise<ConfigRaw> {
    const owned = appliedChildren(raw.metadata.managedFields, this.opts.client.fieldManager, [
      'spec',
      'storage',
      backend,
    ]);
    const current = raw.spec?.storage?.[backend] as Record<string, unknown> | undefined;
    const fields = specFieldsToApply(current, config as Record<string, unknown>, owned);
    const body = configSpecApply(raw.metadata.uid, backend, fields as never, managementState);
    // Skipped without a request when `raw` already carries all of it.
    return (await this.opts.client.apply(ConfigResource, body, { current: raw })) as ConfigRaw;
  }

  private async applySecret(raw: ConfigRaw, driver: StorageDriver): Promise<void> {
    const owner = ownerReference(raw, { controller: false, blockOwnerDeletion: false });
    await this.opts.client.apply(
      Resources.Secret,
      privateConfigurationSecret(this.opts.namespace, driver.privateConfiguration(), owner) as KubeObject,
    );
  }
}
