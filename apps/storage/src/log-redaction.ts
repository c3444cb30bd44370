import { redactPaths, type Logger } from '@image-registry/controller-runtime';
import { credentialKeyNames } from './credentials/sources.ts';

const path = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`);

/**
 * The runtime's redaction paths plus every credential key name this app handles (secret keys such as
 * `REGISTRY_STORAGE_S3_SECRETKEY`, the AWS, GCS and Azure names), at the top level and one level down.
 */
export const storageRedactPaths: readonly string[] = [
  ...redactPaths,
  ...credentialKeyNames.flatMap((k) => [path(k), `*.${path(k)}`.replace('.[', '[')]),
];

/** A child of `log` that redacts those paths as well (a child's redaction replaces its parent's). */
export function withStorageRedaction(log: Logger): Logger {
  return log.child({}, { redact: { paths: [...storageRedactPaths], censor: '[REDACTED]' } });
}
