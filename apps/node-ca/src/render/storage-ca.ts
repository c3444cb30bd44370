import { storageBackends } from '@image-registry/api';
import type { ConfigObject } from '../resources.ts';

/** Where the storage backend's CA bundle lives, and whether its absence is an error. */
export interface StorageCASource {
  namespace: string;
  name: string;
  key: string;
  /** A ConfigMap the user named must exist; the cloud default may be absent. */
  required: boolean;
  /** The field that named it, for error messages. */
  field: string;
}

/**
 * The storage CA source of the registry Config (upstream's driver CABundle, §7): only for a Config
 * that is not Removed and has exactly one backend. S3 reads `spec.storage.s3.trustedCA`
 * (key `ca-bundle.crt`) or else the cloud's `kube-cloud-config` (`ca-bundle.pem`). The other
 * backends use the system trust, except Swift, whose CA lives in a credentials Secret this app does
 * not read.
 */
export function storageCASource(
  config: ConfigObject | undefined,
  namespaces: { config: string; managed: string },
): StorageCASource | undefined {
  const spec = config?.spec;
  if (!spec || spec.managementState === 'Removed') return undefined;
  const storage = (spec.storage ?? {}) as Record<string, unknown>;
  const configured = storageBackends.filter((b: string) => storage[b] !== undefined && storage[b] !== null);
  if (configured.length !== 1 || configured[0] !== 's3') return undefined;
  const name = spec.storage?.s3?.trustedCA?.name;
  if (name) {
    return { namespace: namespaces.config, name, key: 'ca-bundle.crt', required: true, field: 'spec.storage.s3.trustedCA.name' };
  }
  return { namespace: namespaces.managed, name: 'kube-cloud-config', key: 'ca-bundle.pem', required: false, field: '' };
}
