import type { KubeConfig } from '@kubernetes/client-node';
import { kubeRequest } from '@image-registry/testing';
import { expect } from 'vitest';
import { configName } from '../src/render/names.ts';
import { ConfigResource } from '../src/resources.ts';
import { configPath, type RunningWorkload } from './support.ts';

let serial = 0;

async function metricSum(app: RunningWorkload, name: string): Promise<number> {
  const m = await app.manager.registry.getSingleMetric(name)?.get();
  return (m?.values ?? []).filter((v) => v.labels['controller'] === 'registry-workload').reduce((n, v) => n + v.value, 0);
}

/**
 * One sentinel round instead of a fixed sleep: label the Config, wait until the app has reconciled
 * *after* seeing that label, and return the writes it sent meanwhile. The app runs in this process, so
 * the moment its cache delivers the label, the reconciles done and in flight are read in the same tick:
 * the round ends with the first reconcile that started after the label arrived.
 */
export async function sentinelRound(kc: KubeConfig, app: RunningWorkload): Promise<number> {
  const value = `s${++serial}`;
  const informer = app.manager.informer(ConfigResource, { fieldSelector: `metadata.name=${configName}` });
  const before = await app.writes();
  let target: Promise<number> | undefined;
  const off = informer.on({
    update: (_old, obj) => {
      if (target || obj.metadata?.labels?.['rw-test-sentinel'] !== value) return;
      // Both read synchronously, in the tick the controller queued the key.
      target = Promise.all([metricSum(app, 'controller_runtime_reconcile_total'), metricSum(app, 'controller_runtime_active_workers')]).then(
        ([done, active]) => done + 1 + active,
      );
    },
  });
  try {
    await kubeRequest(kc, 'PATCH', configPath, { metadata: { labels: { 'rw-test-sentinel': value } } }, 'application/merge-patch+json');
    await expect.poll(() => target !== undefined, { timeout: 30_000, message: 'the app never saw the sentinel' }).toBe(true);
    const want = await target;
    await expect.poll(() => metricSum(app, 'controller_runtime_reconcile_total'), { timeout: 60_000 }).toBeGreaterThanOrEqual(want ?? 0);
  } finally {
    off();
  }
  return (await app.writes()) - before;
}

/** Waits until a whole sentinel round passes without a write (a hot loop never gets there). */
export async function settled(kc: KubeConfig, app: RunningWorkload, timeout = 90_000): Promise<void> {
  await expect.poll(() => sentinelRound(kc, app), { timeout, interval: 0, message: 'the app kept writing' }).toBe(0);
}
