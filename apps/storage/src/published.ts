import type { StorageManagementState } from './drivers/driver.ts';
import type { Backend, BackendConfig, StorageSpec } from './storage-types.ts';

/**
 * `status.storage`: the one backend the registry must use, with its effective configuration and the
 * management state. The registry-workload renders the registry's environment from this only.
 */
export function publishedStorage<B extends Backend>(
  backend: B,
  config: BackendConfig<B>,
  managementState: StorageManagementState,
): StorageSpec {
  return { managementState, [backend]: config } as StorageSpec;
}

/** The backend `status.storage` (or any storage struct) names, when exactly one is set. */
export function backendOf(storage: StorageSpec | undefined): Backend | undefined {
  const set = (['s3', 'gcs', 'azure', 'pvc', 'emptyDir'] as const).filter((b) => storage?.[b] !== undefined);
  return set.length === 1 ? set[0] : undefined;
}

/** Which storage a struct names: backend plus the fields that pick the bucket, container or claim. */
export function storageIdentity(storage: StorageSpec | undefined): string | undefined {
  const backend = backendOf(storage);
  if (!backend || !storage) return undefined;
  switch (backend) {
    case 's3':
      return `s3:${storage.s3?.regionEndpoint ?? ''}:${storage.s3?.bucket ?? ''}`;
    case 'gcs':
      return `gcs:${storage.gcs?.projectID ?? ''}:${storage.gcs?.bucket ?? ''}`;
    case 'azure':
      return `azure:${storage.azure?.accountName ?? ''}:${storage.azure?.container ?? ''}`;
    case 'pvc':
      return `pvc:${storage.pvc?.claim ?? ''}`;
    case 'emptyDir':
      return 'emptyDir';
  }
}

/** The spec path of a backend's name field, for managedFields lookups; undefined for emptyDir. */
export function nameField(backend: Backend): readonly string[] | undefined {
  switch (backend) {
    case 's3':
    case 'gcs':
      return ['spec', 'storage', backend, 'bucket'];
    case 'azure':
      return ['spec', 'storage', 'azure', 'container'];
    case 'pvc':
      return ['spec', 'storage', 'pvc', 'claim'];
    case 'emptyDir':
      return undefined;
  }
}
