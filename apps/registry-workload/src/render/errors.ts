/**
 * A Config value this app cannot render. Only the user can fix it, so it is reported as Degraded
 * (reason `VerificationFailed`, upstream's reason for bad input) and never retried by itself; nothing
 * already running is deleted because of it.
 */
export class InvalidConfigError extends Error {
  override name = 'InvalidConfigError';
  /** JSON path of the offending field, e.g. `spec.requests.read.maxRunning`. */
  readonly field: string;
  readonly reason = 'VerificationFailed';

  /** The message names the field first: `spec.replicas: replicas must be …`. */
  constructor(field: string, detail: string, options?: ErrorOptions) {
    super(`${field}: ${detail}`, options);
    this.field = field;
  }
}
