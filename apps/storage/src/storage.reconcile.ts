import { parseConfig, singletonName } from '@image-registry/api';
import type { DesiredCondition } from '@image-registry/conditions';
import {
  OwnWrites,
  systemClock,
  type Clock,
  type KubeClient,
  type ReconcileContext,
  type Request,
  type Result,
  type EventRecorder,
} from '@image-registry/controller-runtime';
import { StorageConditionTypes as T } from './drivers/driver.ts';
import type { DriverEnvironment } from './drivers/factory.ts';
import { DriverLoader } from './driver-loader.ts';
import { FailurePublisher } from './failure-publisher.ts';
import { Inputs } from './inputs.ts';
import { withStorageRedaction } from './log-redaction.ts';
import type { ObjectReader } from './object-reader.ts';
import { ConfigResource } from './resources.ts';
import { StatusWriter, type ConfigRaw } from './status-writer.ts';
import { StorageProvision } from './storage.provision.ts';
import { StorageRemoval } from './storage.removal.ts';

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
  /** Send the cloud calls through the cluster Proxy's proxy (`--use-cluster-proxy`). */
  useClusterProxy?: boolean;
  /** This process's environment (proxy variables, workload identity); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  drivers: Omit<DriverEnvironment, 'namespace' | 'claims'>;
  /** How long a retried failure lasts before StorageControllerDegraded turns True. */
  degradedAfterMs: number;
  /** Re-check storage this often when nothing changes (repairs drift of bucket settings). */
  resyncMs: number;
  clock?: Clock;
  /** Events for the admin: storage created or deleted. */
  events?: EventRecorder;
}

const configKey: Request = { name: singletonName };

/**
 * Reconciles `Config/cluster`'s storage by its managementState: Managed provisions (storage.provision.ts),
 * Removed and deletion tear managed storage down (storage.removal.ts), Unmanaged touches nothing.
 */
export class StorageReconciler {
  private readonly opts: StorageReconcilerOptions;
  private readonly status: StatusWriter;
  private readonly failures: FailurePublisher;
  private readonly provisioning: StorageProvision;
  private readonly removal: StorageRemoval;

  constructor(opts: StorageReconcilerOptions) {
    this.opts = opts;
    const clock = opts.clock ?? systemClock;
    const inputs = new Inputs({
      ...opts,
      useClusterProxy: opts.useClusterProxy ?? false,
      env: opts.env ?? process.env,
    });
    const writes = new OwnWrites<ConfigRaw>();
    this.status = new StatusWriter({ client: opts.client, clock, writes });
    this.failures = new FailurePublisher({
      status: this.status,
      clock,
      degradedAfterMs: opts.degradedAfterMs,
    });
    const drivers = new DriverLoader({ ...opts, inputs, failures: this.failures });
    const shared = {
      writes,
      client: opts.client,
      namespace: opts.namespace,
      inputs,
      status: this.status,
      failures: this.failures,
      drivers,
      events: opts.events,
    };
    this.provisioning = new StorageProvision({ ...shared, resyncMs: opts.resyncMs });
    this.removal = new StorageRemoval({ ...shared, reader: opts.reader });
  }

  readonly reconcile = async (req: Request, runtime: ReconcileContext): Promise<Result> => {
    if (req.name !== singletonName || req.namespace) return;
    const ctx = { ...runtime, log: withStorageRedaction(runtime.log) };
    const cached = (await this.opts.reader.get(ConfigResource, configKey)) as ConfigRaw | undefined;
    // Our own last write, while the cache has not caught up with it.
    const raw = cached?.metadata ? this.status.current(cached) : undefined;
    if (!raw?.metadata) {
      this.failures.recovered();
      return;
    }
    // Before parsing: a Config that no longer parses must not keep its finalizer forever.
    if (raw.metadata.deletionTimestamp) return this.removal.finalize(raw, ctx);
    const parsed = parseConfig(raw);
    if (!parsed.ok)
      return this.failures.terminal(raw, {
        reason: 'InvalidConfiguration',
        message: parsed.error.message,
        terminal: true,
      });
    const config = parsed.value;
    switch (config.spec.managementState ?? 'Managed') {
      case 'Removed':
        return this.removal.teardown(raw, config, ctx);
      case 'Unmanaged':
        return this.unmanaged(raw);
      default:
        return this.provisioning.provision(raw, config, ctx);
    }
  };

  /** Unmanaged: nothing is touched; the conditions say so and everything else stays as it is. */
  private async unmanaged(raw: ConfigRaw): Promise<Result> {
    this.failures.recovered();
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
}
