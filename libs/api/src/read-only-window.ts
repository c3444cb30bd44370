/**
 * The read-only window: the contract between the prune job (apps/pruner) and registry-workload for
 * blob garbage collection (docs/adr/0012-prune-and-read-only-window.md). Both sides are conditions on
 * `Config.status`, a map list keyed by type, so each side applies only its own entry:
 *
 * - the prune job applies `ReadOnlyWindowRequested` True to ask, False to release;
 * - registry-workload answers with `ReadOnlyWindow`: True once every registry pod runs with
 *   `REGISTRY_STORAGE_MAINTENANCE_READONLY`, False while switching or after the deadline.
 *
 * The deadline is the request's `lastTransitionTime` plus `maxSeconds`, computed by both sides; the
 * workload ends the window on its own then, so a killed job never leaves the registry read-only.
 * Neither type ends in Available/Progressing/Degraded, so the ClusterOperator does not fold them.
 */
export const readOnlyWindow = {
  /** Owned by the pruner (the prune job). */
  requestType: 'ReadOnlyWindowRequested',
  /** Owned by registry-workload. */
  stateType: 'ReadOnlyWindow',
  /** How long a window may last, from the request's lastTransitionTime. */
  maxSeconds: 3600,
  /** A request stamped further in the future than this is refused (clock skew allowance). */
  maxFutureSkewSeconds: 120,
  reasons: {
    /** Request True: blob garbage collection needs the registry read-only. */
    requested: 'GarbageCollection',
    /** Request False: the job is done with the window. */
    released: 'Released',
    /** Request False: the job skipped garbage collection (e.g. emptyDir storage it cannot reach). */
    skipped: 'GarbageCollectionSkipped',
    /** State True: every registry pod is read-only. */
    readOnly: 'ReadOnly',
    /** State False: the Deployment is rolling to read-only. */
    pending: 'Pending',
    /** State False: the deadline passed; the registry accepts writes again. */
    expired: 'Expired',
    /** State False: the request cannot be honoured (e.g. stamped in the future). */
    refused: 'Refused',
  },
} as const;

/** A condition as both sides read it (raw JSON: the time is an RFC 3339 string). */
export interface WindowCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** When the window asked for by `request` ends, or undefined when the request carries no usable time. */
export function readOnlyWindowDeadline(request: WindowCondition | undefined): Date | undefined {
  const t = request?.lastTransitionTime ? Date.parse(request.lastTransitionTime) : Number.NaN;
  if (!Number.isFinite(t)) return undefined;
  return new Date(t + readOnlyWindow.maxSeconds * 1000);
}

export type ReadOnlyWindowPhase =
  /** No request, or a released one. */
  | { kind: 'closed' }
  /** A live request: the registry must be read-only until `deadline`. */
  | { kind: 'open'; requestedAt: Date; deadline: Date }
  /** A request past its deadline: the registry is writable again. */
  | { kind: 'expired'; requestedAt: Date; deadline: Date }
  /** A request without a usable time, or stamped in the future. */
  | { kind: 'refused'; message: string };

/** What the request on the Config means at `now`; the one reading both apps share. */
export function readOnlyWindowPhase(conditions: readonly WindowCondition[] | undefined, now: Date): ReadOnlyWindowPhase {
  const request = conditions?.find((c) => c.type === readOnlyWindow.requestType);
  if (request?.status !== 'True') return { kind: 'closed' };
  const deadline = readOnlyWindowDeadline(request);
  if (!deadline) {
    return { kind: 'refused', message: `${readOnlyWindow.requestType} has no valid lastTransitionTime; request the window again` };
  }
  const requestedAt = new Date(deadline.getTime() - readOnlyWindow.maxSeconds * 1000);
  if (requestedAt.getTime() > now.getTime() + readOnlyWindow.maxFutureSkewSeconds * 1000) {
    return {
      kind: 'refused',
      message: `${readOnlyWindow.requestType} is stamped ${requestedAt.toISOString()}, in the future; check the clocks and request the window again`,
    };
  }
  if (now.getTime() >= deadline.getTime()) return { kind: 'expired', requestedAt, deadline };
  return { kind: 'open', requestedAt, deadline };
}
