import { configConditionTypes, storageConditionTypes } from '@image-registry/api';
import type { DesiredCondition } from '@image-registry/conditions';
import type { Backend, BackendConfig } from '../storage-types.ts';

/** Whether the operator owns the storage (creates, configures, deletes it) or only uses it. */
export type StorageManagementState = 'Managed' | 'Unmanaged';

/** The outcome of filling in a backend's derived values, before anything is provisioned. */
export interface Completion<C> {
  /** `spec.storage.<backend>` with generated names, region and defaults filled in. */
  config: C;
  /** The storage name (bucket, container, claim) was generated now: whatever exists under it is ours. */
  generatedName: boolean;
}

export interface ExistsResult {
  exists: boolean;
  /** The `StorageExists` condition that goes with the answer. */
  condition: DesiredCondition;
}

export interface CreateResult<C> {
  /** The effective configuration: what `status.storage.<backend>` publishes and the workload uses. */
  config: C;
  /** `StorageExists` first, then the managed-only conditions (encryption, tags, …) this backend reports. */
  conditions: DesiredCondition[];
  /** The storage did not exist and was created by this call. */
  created: boolean;
}

export interface RemoveResult {
  /** `StorageExists` after removal (False, with why). */
  condition: DesiredCondition;
}

/**
 * One storage backend, modelled on upstream's driver: complete the configuration, tell whether the
 * storage exists, create (and, when Managed, configure) it, remove it, and name it. A driver is built per reconcile with the credentials and cluster facts it
 * needs, so every method works on the config it is given and keeps no state between reconciles.
 *
 * Failures are thrown as {@link StorageError}, which carries the conditions to publish.
 */
export interface StorageDriver<B extends Backend = Backend> {
  readonly backend: B;
  /** Upstream's display name (`S3`, `GCS`, `Azure`, `PVC`, `EmptyDir`), used in messages and metrics. */
  readonly displayName: string;
  /** Pure: derived values (names, region) filled into the spec copy. */
  completeConfiguration(spec: BackendConfig<B>): Completion<BackendConfig<B>>;
  /** The storage's identity (bucket, container or claim name; `''` for emptyDir). */
  id(config: BackendConfig<B>): string;
  storageExists(config: BackendConfig<B>): Promise<ExistsResult>;
  /**
   * Creates the storage when it does not exist (`exists` is the answer of storageExists, to save a
   * round trip) and, when `managementState` is Managed, applies the settings the operator owns.
   * Idempotent: run on every reconcile.
   */
  createStorage(
    config: BackendConfig<B>,
    managementState: StorageManagementState,
    exists: boolean,
  ): Promise<CreateResult<BackendConfig<B>>>;
  /** Empties and deletes the storage. Callers only call it for Managed storage. */
  removeStorage(config: BackendConfig<B>): Promise<RemoveResult>;
  /**
   * The keys of Secret `image-registry-private-configuration` for this backend (the registry mounts
   * them). Raw values; the caller base64-encodes them. Never logged.
   */
  privateConfiguration(): Record<string, string>;
  /** Releases the clients' connections; the driver is not used afterwards. */
  dispose?(): void;
}

/**
 * A provisioning step failed. `conditions` say what the admin sees (StorageExists with the provider's
 * reason, …); `retriable` false means only a change of input can help (a missing key, a name taken by
 * another account).
 */
export class StorageError extends Error {
  override name = 'StorageError';
  readonly conditions: DesiredCondition[];
  readonly retriable: boolean;

  constructor(
    message: string,
    init: { conditions: DesiredCondition[]; retriable?: boolean; cause?: unknown },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.conditions = init.conditions;
    this.retriable = init.retriable ?? true;
  }
}

/** Condition types this app owns on `Config.status.conditions` (libs/api is their one source). */
export const StorageConditionTypes = storageConditionTypes;

export const ownedConditionTypes: readonly string[] = configConditionTypes.storage;

export function storageExistsCondition(
  status: DesiredCondition['status'],
  reason: string,
  message: string,
): DesiredCondition {
  return { type: StorageConditionTypes.exists, status, reason, message };
}

/** The message of any thrown value, for conditions (never a stack, never a secret). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** Throws the signal's reason when the reconcile was aborted (leadership lost, timeout, shutdown). */
export function checkAborted(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}
