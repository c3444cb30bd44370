import { configFinalizer, configGroupVersion, singletonName } from '@image-registry/api';
import { statusConditionsApply, type Condition, type DesiredCondition } from '@image-registry/conditions';
import { ownedConditionTypes, type StorageManagementState } from '../drivers/driver.ts';
import type { ConfigObject } from '../resources.ts';
import type { Backend, BackendConfig, StorageSpec } from '../storage-types.ts';

/**
 * The main-resource apply of this app on Config/cluster: the finalizer and `spec.storage` (the
 * selected backend completed with derived values, and the management state). Every apply must carry
 * all of these: server-side apply removes a field this manager set before and leaves out now.
 * `uid` pins the apply to this incarnation, so a Config deleted meanwhile is not recreated half-empty.
 */
export function configSpecApply<B extends Backend>(
  uid: string | undefined,
  backend: B,
  config: BackendConfig<B>,
  managementState: StorageManagementState,
): ConfigObject {
  return {
    apiVersion: configGroupVersion,
    kind: 'Config',
    metadata: { name: singletonName, ...(uid ? { uid } : {}), finalizers: [configFinalizer] },
    spec: { storage: { managementState, [backend]: config } as StorageSpec } as ConfigObject['spec'],
  };
}

export interface StatusApplyInput {
  current: readonly Condition[] | undefined;
  conditions: readonly DesiredCondition[];
  /** `status.storage`; `{}` once storage is removed. */
  storage: StorageSpec;
  now: Date;
}

/** The `/status` apply: this app's conditions, `status.storage` and `status.storageManaged`. */
export function configStatusApply(input: StatusApplyInput): ConfigObject {
  const body = statusConditionsApply({
    apiVersion: configGroupVersion,
    kind: 'Config',
    name: singletonName,
    current: input.current,
    conditions: input.conditions,
    ownedTypes: ownedConditionTypes,
    now: input.now,
  });
  return {
    ...body,
    status: {
      ...body.status,
      storage: input.storage,
      storageManaged: input.storage.managementState === 'Managed',
    },
  } as ConfigObject;
}

/**
 * The fields of `spec.storage.<backend>` this app writes: those it filled in (absent in the spec,
 * present after completion) and those it wrote before (still its own, else server-side apply would
 * drop them). A value the admin set is never taken over.
 */
export function specFieldsToApply(
  current: Readonly<Record<string, unknown>> | undefined,
  completed: Readonly<Record<string, unknown>>,
  ownedBefore: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(completed)) {
    if (v === undefined) continue;
    if (current?.[k] === undefined || ownedBefore.has(k)) out[k] = v;
  }
  return out;
}
