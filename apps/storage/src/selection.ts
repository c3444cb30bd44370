import {
  configuredStorageBackends,
  multipleBackendsMessage,
  storageBackendDisplayNames,
} from '@image-registry/api';
import type { Backend, StorageSpec, UnsupportedBackend } from './storage-types.ts';

export type Selection =
  | { kind: 'none' }
  | { kind: 'multiple'; message: string }
  | { kind: 'unsupported'; backend: UnsupportedBackend | 'azure'; message: string }
  | { kind: 'backend'; backend: Backend };

/** Which backend a `storage` struct selects: exactly one must be set. */
export function selectBackend(storage: StorageSpec | undefined): Selection {
  const set = configuredStorageBackends(storage);
  const [backend] = set;
  if (backend === undefined) return { kind: 'none' };
  if (set.length > 1) return { kind: 'multiple', message: multipleBackendsMessage(set) };
  if (backend === 'swift' || backend === 'ibmcos' || backend === 'oss') {
    return {
      kind: 'unsupported',
      backend,
      message:
        `${storageBackendDisplayNames[backend]} storage (spec.storage.${backend}) is not supported by this operator yet: ` +
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
