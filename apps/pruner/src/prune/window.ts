import { configGroupVersion, readOnlyWindow, readOnlyWindowDeadline, type WindowCondition } from '@image-registry/api';
import type { KubeClient, KubeObject, Logger } from '@image-registry/controller-runtime';
import { ConfigResource, PodResource, type PodObject } from '../resources.ts';

export const readOnlyEnv = 'REGISTRY_STORAGE_MAINTENANCE_READONLY';
/** Garbage collection stops this long before the deadline, so the registry never turns writable under it. */
export const deadlineMarginMs = 2 * 60 * 1000;

export class WindowError extends Error {
  override name = 'WindowError';
}

/** Why a registry pod does not (yet) refuse writes, or undefined when it does. */
export function podNotReadOnly(pod: PodObject): string | undefined {
  const name = pod.metadata?.name ?? '(unnamed)';
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return undefined;
  const readOnly = (pod.spec?.containers ?? []).some((c) =>
    (c.env ?? []).some((e) => e.name === readOnlyEnv && /enabled:\s*true/.test(e.value ?? '')),
  );
  if (!readOnly) return `registry pod ${name} runs without ${readOnlyEnv}${pod.metadata?.deletionTimestamp ? ' (terminating, may still serve a push)' : ''}`;
  return undefined;
}

export interface WindowOptions {
  client: KubeClient;
  namespace: string;
  log: Logger;
  now?: () => Date;
  /** Tries a write through the registry's Service, as a client would. */
  writeProbe: () => Promise<'refused' | 'accepted' | 'unknown'>;
  pollMs?: number;
}

/**
 * The prune job's side of the read-only window (libs/api read-only-window.ts): ask, wait until every
 * registry pod is read-only and the registry says so, release. The deadline is registry-workload's to
 * enforce; this side stops its work `deadlineMarginMs` before it.
 */
export class ReadOnlyWindow {
  private readonly opts: WindowOptions;
  private readonly now: () => Date;
  private requested = false;

  constructor(opts: WindowOptions) {
    this.opts = opts;
    this.now = opts.now ?? (() => new Date());
  }

  /** Applies `ReadOnlyWindowRequested` True stamped now; returns the deadline both sides compute. */
  async request(): Promise<Date> {
    const at = this.now();
    const condition: WindowCondition = {
      type: readOnlyWindow.requestType,
      status: 'True',
      lastTransitionTime: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      reason: readOnlyWindow.reasons.requested,
      message: 'The prune job needs the registry read-only to reclaim the blobs of deleted manifests',
    };
    await this.apply(condition);
    this.requested = true;
    const deadline = readOnlyWindowDeadline(condition);
    if (!deadline) throw new WindowError('could not compute the window deadline');
    this.opts.log.info({ deadline: deadline.toISOString() }, 'requested the read-only window');
    return deadline;
  }

  /** Waits until the window is in force: workload's ReadOnlyWindow True, every pod read-only, writes refused. */
  async waitOpen(until: Date, signal?: AbortSignal): Promise<void> {
    const { client, namespace, log } = this.opts;
    let lastReason = '';
    let refusals = 0;
    for (;;) {
      if (signal?.aborted) throw new WindowError('stopped while waiting for the read-only window');
      let reason: string | undefined;
      const config = await client.get(ConfigResource, { name: 'cluster' });
      const state = config?.status?.conditions?.find((c) => c.type === readOnlyWindow.stateType);
      if (state?.status !== 'True') {
        reason = `registry-workload reports ${readOnlyWindow.stateType} ${state?.status ?? 'not yet'}${state?.message ? `: ${state.message}` : ''}`;
        if (state?.reason === readOnlyWindow.reasons.expired || state?.reason === readOnlyWindow.reasons.refused) {
          throw new WindowError(`the read-only window cannot be used: ${reason}`);
        }
      } else {
        const pods = await client.list(PodResource, { namespace, labelSelector: 'docker-registry=default' });
        reason = pods.items.map(podNotReadOnly).find((r) => r !== undefined);
      }
      if (!reason) {
        // Three answers in a row through the Service: every endpoint it picks refuses writes.
        // A dropped connection is a registry pod restarting: not read-only yet.
        const probe = await this.opts.writeProbe().catch((): 'accepted' => 'accepted');
        if (probe === 'unknown') return;
        refusals = probe === 'refused' ? refusals + 1 : 0;
        if (refusals >= 3) return;
        reason = 'the registry still accepts writes';
      } else {
        refusals = 0;
      }
      if (reason !== lastReason) log.info({ waitingFor: reason }, 'waiting for the read-only window');
      lastReason = reason;
      if (this.now().getTime() >= until.getTime()) {
        throw new WindowError(`the read-only window did not open in time: ${reason}; check that registry-workload runs`);
      }
      await new Promise((r) => setTimeout(r, this.opts.pollMs ?? 2000));
    }
  }

  /** Applies `ReadOnlyWindowRequested` False; idempotent. */
  async release(reason: string = readOnlyWindow.reasons.released, message = 'The prune job is done with the read-only window'): Promise<void> {
    await this.apply({ type: readOnlyWindow.requestType, status: 'False', lastTransitionTime: this.now().toISOString().replace(/\.\d{3}Z$/, 'Z'), reason, message });
    if (this.requested) this.opts.log.info({ reason }, 'released the read-only window');
    this.requested = false;
  }

  get isRequested(): boolean {
    return this.requested;
  }

  private async apply(condition: WindowCondition): Promise<void> {
    const body = { apiVersion: configGroupVersion, kind: 'Config', metadata: { name: 'cluster' }, status: { conditions: [condition] } };
    await this.opts.client.applyStatus(ConfigResource, body as KubeObject, { current: null });
  }
}
