import { CredentialsError, cloudSecretName, userSecretName } from './credentials/sources.ts';
import type { Failure } from './degraded.ts';
import { StorageError, errorMessage, type StorageDriver } from './drivers/driver.ts';
import type { Selection } from './selection.ts';

/**
 * Failure mapping: what the admin reads in StorageControllerDegraded for each way provisioning fails,
 * and whether only a change of input can help (terminal).
 */

/** A backend selection that cannot be provisioned. */
export function selectionFailure(selection: Exclude<Selection, { kind: 'backend' | 'none' }>): Failure {
  return selection.kind === 'multiple'
    ? { reason: 'InvalidStorageConfiguration', message: selection.message, terminal: true }
    : { reason: 'UnsupportedStorage', message: selection.message, terminal: true };
}

/** No backend and no platform default. */
export function notConfiguredFailure(platform: string): Failure {
  return {
    reason: 'StorageNotConfigured',
    message: `storage backend not configured: the ${platform} platform has no default storage; set spec.storage to one of s3, gcs, azure, pvc or emptyDir`,
    terminal: true,
  };
}

/**
 * A driver that cannot be built: unusable credentials (naming the secret and key) or settings.
 * Undefined for any other error. A cloud secret not minted yet is retried; the rest wait for the admin.
 */
export function driverSetupFailure(err: unknown): Failure | undefined {
  if (err instanceof CredentialsError)
    return { reason: 'CredentialsError', message: err.message, terminal: !err.retriable };
  if (err instanceof StorageError)
    return { reason: 'ConfigError', message: err.message, terminal: !err.retriable };
  return undefined;
}

/** An API error (RBAC, a webhook, a conflict) while provisioning: retried. */
export function syncFailure(driver: StorageDriver, err: unknown): Failure {
  const message = `Unable to sync ${driver.displayName} storage: ${errorMessage(err)}. The operator keeps retrying.`;
  return { reason: 'Error', message, terminal: false };
}

/** The provider said no, or did not answer. */
export function provisionFailure(driver: StorageDriver, err: StorageError, ns: string): Failure {
  const head = `Unable to provision ${driver.displayName} storage: ${err.message}.`;
  if (!err.retriable)
    return {
      reason: 'ProvisioningFailed',
      message: `${head} Fix the storage or spec.storage; the operator tries again when either changes.`,
      terminal: true,
    };
  const message =
    driver.backend === 'pvc' || driver.backend === 'emptyDir'
      ? `${head} The operator keeps retrying.`
      : `${head} The operator keeps retrying; check that the storage endpoint is reachable and that the credentials in secret ${ns}/${userSecretName} (or ${ns}/${cloudSecretName}) are valid.`;
  return { reason: 'ProvisioningFailed', message, terminal: false };
}

/** Removal failed: retried, and the storage stays published until it succeeds. */
export function removeFailure(err: StorageError): Failure {
  return {
    reason: 'RemoveFailed',
    message: `Unable to remove storage: ${err.message}. The operator keeps retrying; the registry's storage is kept until removal succeeds.`,
    terminal: false,
  };
}
