import { readOnlyWindow, readOnlyWindowPhase, type WindowCondition } from '@image-registry/api';
import type { DesiredCondition } from '@image-registry/conditions';

/**
 * registry-workload's side of the read-only window (libs/api read-only-window.ts, ADR 0012): while the
 * prune job's request is live the registry runs with REGISTRY_STORAGE_MAINTENANCE_READONLY, and this
 * app reports `ReadOnlyWindow`; at the deadline it ends the window itself, released or not.
 */

const readOnlyEnv = 'REGISTRY_STORAGE_MAINTENANCE_READONLY';

/** What the window reads of the Deployment `image-registry` (raw JSON from the cache). */
export interface WindowDeployment {
  metadata?: { generation?: number };
  spec?: { replicas?: number; template?: { spec?: { containers?: { name: string; env?: { name: string; value?: string }[] }[] } } };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

/** `config` with `spec.readOnly` forced on while a window is open, and when to look again (the deadline). */
export function withReadOnlyWindow<C extends { spec: { readOnly?: boolean | undefined }; status?: { conditions?: WindowCondition[] | undefined } | undefined }>(
  config: C,
  now: Date,
): { config: C; recheckAfterMs?: number } {
  const phase = readOnlyWindowPhase(config.status?.conditions, now);
  if (phase.kind !== 'open') return { config };
  return { config: { ...config, spec: { ...config.spec, readOnly: true } }, recheckAfterMs: Math.max(1000, phase.deadline.getTime() - now.getTime()) };
}

/** Every registry pod runs the current template, which has the read-only variable, and is available. */
export function rolledOutReadOnly(d: WindowDeployment | undefined): boolean {
  if (!d) return false;
  const readOnly = (d.spec?.template?.spec?.containers ?? []).some((c) =>
    (c.env ?? []).some((e) => e.name === readOnlyEnv && /enabled:\s*true/.test(e.value ?? '')),
  );
  const want = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  return (
    readOnly &&
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    s.updatedReplicas === want &&
    s.replicas === want &&
    s.availableReplicas === want
  );
}

function cond(status: 'True' | 'False', reason: string, message: string): DesiredCondition {
  return { type: readOnlyWindow.stateType, status, reason, message };
}

/** The `ReadOnlyWindow` condition to report, or undefined when no window was asked for. */
export function readOnlyWindowCondition(conditions: readonly WindowCondition[] | undefined, deployment: WindowDeployment | undefined, now: Date): DesiredCondition | undefined {
  const phase = readOnlyWindowPhase(conditions, now);
  const { reasons } = readOnlyWindow;
  switch (phase.kind) {
    case 'closed':
      return undefined;
    case 'refused':
      return cond('False', reasons.refused, `The read-only window was not opened: ${phase.message}`);
    case 'expired':
      return cond(
        'False',
        reasons.expired,
        `The read-only window requested at ${phase.requestedAt.toISOString()} ended at its deadline ${phase.deadline.toISOString()} without being released; the registry accepts writes again`,
      );
    case 'open':
      return rolledOutReadOnly(deployment)
        ? cond('True', reasons.readOnly, `Every registry pod is read-only for maintenance until ${phase.deadline.toISOString()}`)
        : cond('False', reasons.pending, `Switching every registry pod to read-only maintenance mode (the window ends at ${phase.deadline.toISOString()})`);
  }
}
