import { storageBackends, type Storage, type StorageBackend } from './schema/storage.ts';

/** Upstream's display names of the backends, used in its messages and metrics. */
export const storageBackendDisplayNames: Readonly<Record<StorageBackend, string>> = {
  emptyDir: 'EmptyDir',
  s3: 'S3',
  gcs: 'GCS',
  swift: 'Swift',
  pvc: 'PVC',
  azure: 'Azure',
  ibmcos: 'IBMCOS',
  oss: 'OSS',
};

/** The backends a storage struct sets (null counts as unset), in upstream's order. */
export function configuredStorageBackends(
  storage: Partial<Record<StorageBackend, unknown>> | undefined,
): StorageBackend[] {
  return storageBackends.filter((b) => storage?.[b] !== undefined && storage[b] !== null);
}

/** Upstream's message for more than one backend: `… got 2: [S3 GCS]`. */
export function multipleBackendsMessage(backends: readonly StorageBackend[]): string {
  return `exactly one storage type should be configured at the same time, got ${backends.length}: [${backends.map((b) => storageBackendDisplayNames[b]).join(' ')}]`;
}

export type { Storage };
