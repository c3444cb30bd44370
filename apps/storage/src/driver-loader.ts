import type { Config } from '@image-registry/api';
import {
  Resources,
  TerminalError,
  type KubeClient,
  type KubeObject,
} from '@image-registry/controller-runtime';
import type { ClusterFacts } from './cluster.ts';
import { storageExistsCondition, type StorageDriver } from './drivers/driver.ts';
import { createDriver, type DriverEnvironment } from './drivers/factory.ts';
import type { FailurePublisher } from './failure-publisher.ts';
import type { Inputs } from './inputs.ts';
import type { ObjectReader } from './object-reader.ts';
import { driverSetupFailure } from './provision-failure.ts';
import type { ConfigRaw } from './status-writer.ts';
import type { Backend } from './storage-types.ts';

export interface DriverLoaderOptions {
  client: KubeClient;
  reader: ObjectReader;
  /** The operand namespace (secrets, the claim). */
  namespace: string;
  drivers: Omit<DriverEnvironment, 'namespace' | 'claims'>;
  inputs: Inputs;
  failures: FailurePublisher;
}

/** Builds the backend's driver from the cluster's inputs; a driver that cannot be built is published. */
export class DriverLoader {
  private readonly opts: DriverLoaderOptions;

  constructor(opts: DriverLoaderOptions) {
    this.opts = opts;
  }

  /**
   * The backend's driver, bound to the reconcile's signal. Unusable credentials are published as
   * StorageExists Unknown (naming the secret and key) and thrown.
   */
  async load(
    raw: ConfigRaw,
    config: Config,
    backend: Backend,
    cluster: ClusterFacts,
    signal: AbortSignal,
  ): Promise<StorageDriver> {
    try {
      const inputs = await this.opts.inputs.driverInputs(config, backend, cluster);
      return await createDriver(backend, inputs, this.environment(), signal);
    } catch (err) {
      const failure = driverSetupFailure(err);
      if (!failure) throw err;
      await this.opts.failures.publish(raw, failure, [
        storageExistsCondition('Unknown', failure.reason, failure.message),
      ]);
      throw failure.terminal ? new TerminalError(failure.message) : new Error(failure.message);
    }
  }

  private environment(): DriverEnvironment {
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
}
