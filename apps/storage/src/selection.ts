import { storageBackends, type StorageBackend } from '@image-registry/api';
import type { Backend, StorageSpec, UnsupportedBackend } from './storage-types.ts';

/** Upstream's display names, in the order its error messages list configured backends. */
const displayNames: Record<string, string> = {
  emptyDir: 'EmptyDir',
  s3: 'S3',
  gcs: 'GCS',
  swift: 'Swift',
  pvc: 'PVC',
  azure: 'Azure',
  ibmcos: 'IBMCOS',
  oss: 'OSS',
};

export type Selection =
  | { kind: 'none' }
  | { kind: 'multiple'; message: string }
  | { kind: 'unsupported'; backend: UnsupportedBackend | 'azure'; message: string }
  | { kind: 'backend'; backend: Backend };

/** Which backend a `storage` struct selects: exactly one must be set. */
export function selectBackend(storage: StorageSpec | undefined): Selection {
  const set = storageBackends.filter((b) => storage?.[b] !== undefined && storage[b] !== null);
  if (set.length === 0) return { kind: 'none' };
  if (set.length > 1) {
    return {
      kind: 'multiple',
      message: `exactly one storage type should be configured at the same time, got ${set.length}: [${set.map((b) => displayNames[b]).join(' ')}]`,
    };
  }
  const [backend] = set as [StorageBackend];
  if (backend === 'swift' || backend === 'ibmcos' || backend === 'oss') {
    return {
      kind: 'unsupported',
      backend,
      message:
        `${displayNames[backend]} storage (spec.storage.${backend}) is not supported by this operator yet: ` +
        'configure s3, gcs, azure, pvc or emptyDir instead',
    };
  }
  if (backend === 'azure' && storage?.azure?.networkAccess?.type === 'Internal') {
    return {
      kind: 'unsupported',
      backend: 'azure',
      message:
        'Azure storage with networkAccess.type Internal (a private endpoint) is not supported by this operator yet: ' +
        'use networkAccess.type External, or create the private endpoint yourself and give accountName and container',
    };
  }
  return { kind: 'backend', backend };
}
