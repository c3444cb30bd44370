import type { ManagedFieldsEntry } from '@image-registry/controller-runtime';
import type { Failure } from './degraded.ts';
import type { Completion, StorageManagementState } from './drivers/driver.ts';
import { appliedChildren } from './managed-fields.ts';
import { decideManagementState } from './management-state.ts';
import { notConfiguredFailure, selectionFailure } from './provision-failure.ts';
import { configSpecApply, specFieldsToApply } from './render/config-apply.ts';
import type { ConfigObject } from './resources.ts';
import { selectBackend } from './selection.ts';
import { identityChanged, managementStateChosenByUser, nameIsOurs } from './storage-ownership.ts';
import type { Backend, StorageSpec } from './storage-types.ts';

/**
 * The pure half of provisioning: which backend, which management state, which spec fields to
 * record. No I/O: every input is read before, every write happens after (storage.provision.ts).
 */

export type BackendPlan =
  { kind: 'failure'; failure: Failure } | { kind: 'backend'; backend: Backend; storage: StorageSpec };

/** `spec.storage` names no backend: the platform's default must be looked up (it may need the nodes). */
export function needsPlatformDefault(storage: StorageSpec | undefined): boolean {
  return selectBackend(storage).kind === 'none';
}

/**
 * The backend to provision: the one `spec.storage` selects, else the platform's default (`platformDefault`
 * is that default for `platform`, undefined where there is none).
 */
export function planBackend(
  storage: StorageSpec | undefined,
  platform: string,
  platformDefault: StorageSpec | undefined,
): BackendPlan {
  let chosen = storage;
  if (selectBackend(chosen).kind === 'none') {
    if (!platformDefault) return { kind: 'failure', failure: notConfiguredFailure(platform) };
    chosen = platformDefault;
  }
  const selection = selectBackend(chosen);
  if (selection.kind === 'none') throw new Error('a platform default storage selects no backend');
  if (selection.kind !== 'backend') return { kind: 'failure', failure: selectionFailure(selection) };
  return { kind: 'backend', backend: selection.backend, storage: chosen ?? {} };
}

export interface ManagementStatePlanInput {
  storage: StorageSpec;
  backend: Backend;
  completion: Completion<unknown>;
  /** `status.storage` as this app last wrote it. */
  published: StorageSpec;
  managedFields: readonly ManagedFieldsEntry[] | undefined;
  fieldManager: string;
  exists: boolean;
}

/** `spec.storage.managementState` for this storage (see decideManagementState). */
export function planManagementState(i: ManagementStatePlanInput): StorageManagementState {
  return decideManagementState({
    current: i.storage.managementState,
    chosenByUser: managementStateChosenByUser(i.managedFields, i.fieldManager),
    identityChanged: identityChanged(i.published, i.backend, i.completion.config),
    generatedName: i.completion.generatedName || nameIsOurs(i.managedFields, i.fieldManager, i.backend),
    exists: i.exists,
  });
}

/** The main-resource apply recording the finalizer, the management state and the fields this app owns. */
export function planSpecApply(
  raw: ConfigObject,
  fieldManager: string,
  backend: Backend,
  config: unknown,
  managementState: StorageManagementState,
): ConfigObject {
  const owned = appliedChildren(raw.metadata?.managedFields, fieldManager, ['spec', 'storage', backend]);
  const current = raw.spec?.storage?.[backend] as Record<string, unknown> | undefined;
  const fields = specFieldsToApply(current, config as Record<string, unknown>, owned);
  return configSpecApply(raw.metadata?.uid, backend, fields as never, managementState);
}

const endpointLimits = new Set(['NotSupportedByEndpoint', 'NotAppliedByEndpoint']);

/** Conditions other than True, except settings an endpoint cannot apply, are checked again within a minute. */
export function requeueAfter(
  conditions: readonly { status: string; reason?: string | undefined }[],
  resyncMs: number,
): number {
  const unsettled = conditions.some((c) => c.status !== 'True' && !endpointLimits.has(c.reason ?? ''));
  return unsettled ? Math.min(60_000, resyncMs) : resyncMs;
}
