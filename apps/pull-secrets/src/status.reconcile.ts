import { configGroupVersion, configConditionTypes, singletonName } from '@image-registry/api';
import { statusConditionsApply } from '@image-registry/conditions';
import type { Reconcile, Result } from '@image-registry/controller-runtime';
import { modeNow, type LoopContext } from './context.ts';
import { renderDegraded } from './render/condition.ts';
import { ConfigResource, type ConfigObject } from './resources.ts';

export interface StatusOptions {
  /** A failure shows in the condition once it lasted this long (60 s): conflicts retried at once never do. */
  graceMs?: number;
}

/** Writes `PullSecretsControllerDegraded` on Config/cluster when it differs from what the Config shows. */
export function statusReconciler(
  ctx: Pick<LoopContext, 'client' | 'configs' | 'failures' | 'observed' | 'managementState' | 'now'>,
  opts: StatusOptions = {},
): Reconcile {
  const grace = opts.graceMs ?? 60_000;
  return async (): Promise<Result> => {
    const config = ctx.configs.get({ name: singletonName });
    if (!config) return;
    const now = ctx.now();
    const all = ctx.failures.lasting(now, 0);
    const lasting = ctx.failures.lasting(now, grace);
    const desired = renderDegraded({ mode: modeNow(ctx), failures: lasting, keyIdError: ctx.observed.keyIdError });
    const body = statusConditionsApply({
      apiVersion: configGroupVersion,
      kind: 'Config',
      name: singletonName,
      current: config.status?.conditions,
      conditions: [desired],
      ownedTypes: configConditionTypes['pull-secrets'],
      now: new Date(now),
    });
    const shown = config.status?.conditions?.find((c) => c.type === desired.type);
    const same = shown && shown.status === desired.status && (shown.reason ?? '') === (desired.reason ?? '') && (shown.message ?? '') === (desired.message ?? '');
    if (!same) await ctx.client.applyStatus(ConfigResource, body as unknown as ConfigObject, { current: null });
    // Failures younger than the grace period: look again when the oldest of them comes of age.
    const pending = all.filter((f) => now - f.sinceMs < grace).map((f) => f.sinceMs + grace - now);
    return pending.length > 0 ? { requeueAfterMs: Math.max(1000, Math.min(...pending)) } : undefined;
  };
}
