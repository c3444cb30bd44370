import { parseConfig } from '@image-registry/api';
import type { Condition } from '@image-registry/conditions';
import { OwnWrites, applyIsNoop, type KubeClient, type KubeObject, type Logger, type Reconcile } from '@image-registry/controller-runtime';
import { bootstrapConfig } from './bootstrap.reconcile.ts';
import { cached, type WorkloadCaches } from './caches.ts';
import { configStatusApply } from './config-status.ts';
import { readOnlyWindowCondition, type WindowDeployment } from './maintenance/read-only-window.ts';
import { convergeManaged } from './managed.reconcile.ts';
import { convergeRemoved } from './removed.reconcile.ts';
import { InvalidConfigError } from './render/errors.ts';
import { configName, registryName } from './render/names.ts';
import { ConfigResource } from './resources.ts';
import { verifyConfigSpec } from './verify.ts';
import { registryConditions, type ObservedDeployment } from './status/conditions.ts';
import { RolloutHold } from './status/rollout-hold.ts';
import type { Pass, WorkloadContext, WorkloadOptions } from './workload-context.ts';

interface ConfigObject extends KubeObject {
  spec?: { managementState?: string };
  status?: { conditions?: Condition[]; observedGeneration?: number };
}

/**
 * The longest wait between passes: a certificate due in years is still checked twice a day (timers
 * cannot wait longer than 24.8 days anyway). A pass with nothing to do sends no request.
 */
const maxRequeueMs = 12 * 60 * 60 * 1000;

async function converge(ctx: WorkloadContext, raw: ConfigObject, log: Logger): Promise<Pass> {
  const invalid = raw.spec?.managementState === 'Removed' ? undefined : verifyConfigSpec(raw.spec);
  if (invalid) {
    return { outcome: { kind: 'error', permanent: true, reason: 'VerificationFailed', message: `unable to complete resource: ${invalid}` }, acted: true };
  }
  const parsed = parseConfig(raw);
  if (!parsed.ok) {
    return { outcome: { kind: 'error', permanent: true, reason: 'VerificationFailed', message: parsed.error.message }, acted: true };
  }
  const config = parsed.value;
  const state = config.spec.managementState;
  try {
    if (state === 'Removed') return await convergeRemoved(ctx, log);
    if (state === 'Managed' || state === 'Force') return await convergeManaged(ctx, config, raw.metadata?.uid ?? '', log);
    if (state !== 'Unmanaged') log.warn({ managementState: state }, 'no managementState: leaving the registry alone');
    return { outcome: { kind: 'applied' }, acted: true };
  } catch (err) {
    if (err instanceof InvalidConfigError) {
      log.warn({ field: err.field, err: err.message }, 'the Config cannot be rendered; reported as Degraded');
      return { outcome: { kind: 'error', permanent: true, reason: err.reason, message: `unable to complete resource: ${err.message}` }, acted: true };
    }
    const message = err instanceof Error ? err.message : String(err);
    return { outcome: { kind: 'error', permanent: false, reason: 'Error', message }, acted: false, failure: err };
  }
}

/**
 * reconcile(`cluster`): bootstrap the Config if missing; else converge the registry's objects for
 * the managementState and report Available/Progressing/Degraded/Removed. Reads only the caches.
 */
export function workloadReconciler(client: KubeClient, caches: WorkloadCaches, opts: WorkloadOptions): Reconcile {
  const ctx: WorkloadContext = {
    client,
    caches,
    opts,
    writes: new OwnWrites<KubeObject>(),
    now: opts.now ?? (() => new Date()),
    inNs: (name) => ({ namespace: opts.namespace, name }),
  };
  const hold = new RolloutHold(opts.rolloutStatusIntervalMs);
  const configKey = { name: configName };
  const deploymentKey = ctx.inNs(registryName);
  return async (_req, { log }) => {
    const raw = ctx.writes.current(configKey, cached<ConfigObject>(caches.config, configKey)) as ConfigObject | undefined;
    if (!raw) {
      await bootstrapConfig(client, caches, log);
      return;
    }
    // Being deleted: the storage finalizer and the garbage collector take it from here.
    if (raw.metadata?.deletionTimestamp) return;
    const pass = await converge(ctx, raw, log);
    const deployment = ctx.writes.current(deploymentKey, cached(caches.deployment, deploymentKey)) as (ObservedDeployment & KubeObject) | undefined;
    const status = registryConditions({
      managementState: raw.spec?.managementState,
      deployment,
      outcome: pass.outcome,
      previous: raw.status?.conditions,
      now: ctx.now(),
    });
    // The answer to the prune job's ReadOnlyWindowRequested, only while the registry is Managed.
    const managed = raw.spec?.managementState === 'Managed' || raw.spec?.managementState === 'Force';
    const window = managed ? readOnlyWindowCondition(raw.status?.conditions, deployment as (WindowDeployment & KubeObject) | undefined, ctx.now()) : undefined;
    if (window) status.conditions = [...status.conditions, window];
    const body = configStatusApply(raw, status, pass.acted, ctx.now());
    const changed = !applyIsNoop(body, raw, client.fieldManager, 'status');
    const decision = hold.decide(status.conditions, changed, ctx.now().getTime());
    if (decision.publish && changed) ctx.writes.remember(await client.applyStatus(ConfigResource, body, { current: raw }));
    if (pass.failure !== undefined) throw pass.failure;
    const held = decision.publish ? undefined : decision.holdMs;
    const after = [pass.requeueAfterMs, status.recheckAfterMs, held, maxRequeueMs].filter((v): v is number => v !== undefined && v > 0);
    return { requeueAfterMs: Math.min(...after) };
  };
}
