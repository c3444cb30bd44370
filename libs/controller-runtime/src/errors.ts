/**
 * A failure only a user can fix (bad input, an impossible spec). The controller logs and counts it and
 * does not retry; the next change to a watched object triggers a fresh reconcile.
 */
export class TerminalError extends Error {
  override name = 'TerminalError';
}

/** The `Status` object the API server returns with a failed request. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: { type?: string; field?: string; message?: string }[] };
}

/** A non-2xx answer from the API server, with the verb and path that caused it. */
export class KubeApiError extends Error {
  override name = 'KubeApiError';
  readonly verb: string;
  readonly path: string;
  /** HTTP status (0 when the request never got an answer). */
  readonly status: number;
  /** The Status `reason` (`NotFound`, `Conflict`, `AlreadyExists`, `Expired`…) when the server gave one. */
  readonly reason: string | undefined;
  readonly body: KubeStatus | undefined;
  /** How long the server asked us to wait (Retry-After), if it did. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    verb: string;
    path: string;
    status: number;
    body?: KubeStatus | undefined;
    retryAfterMs?: number | undefined;
    cause?: unknown;
  }) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.verb = init.verb;
    this.path = init.path;
    this.status = init.status;
    this.body = init.body;
    this.reason = init.body?.reason;
    this.retryAfterMs = init.retryAfterMs;
  }
}

function describe(init: { verb: string; path: string; status: number; body?: KubeStatus | undefined }): string {
  const head = `${init.verb} ${init.path}: ${init.status}`;
  const message = init.body?.message ?? init.body?.reason ?? '';
  const hint =
    init.status === 403
      ? ' (the ServiceAccount lacks RBAC for this; add the verb and resource to the app Role)'
      : init.status === 409 && init.verb === 'apply'
        ? ' (another field manager owns these fields; apply with force if this app owns them)'
        : '';
  return `${head}${message ? ` ${message}` : ''}${hint}`;
}

/** The request failed before the server answered (connection refused, reset, timeout, aborted). */
export class KubeTransportError extends Error {
  override name = 'KubeTransportError';
}

/** A write was refused because this process is not (or no longer certainly) the leader. */
export class NotLeaderError extends Error {
  override name = 'NotLeaderError';
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 409;
}

export function isAlreadyExists(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 409 && err.reason === 'AlreadyExists';
}

export function isGone(err: unknown): boolean {
  return err instanceof KubeApiError && (err.status === 410 || err.reason === 'Expired' || err.reason === 'Gone');
}

/** Parses Retry-After (seconds, or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
