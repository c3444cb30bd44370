import { kubeRequest, testKubeConfig } from '@image-registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settled } from './quiet.ts';
import { condition, getConfig, getDeployment, patchConfig, useWorkloadFixture, waitAvailable, type RunningWorkload } from './support.ts';

const f = useWorkloadFixture({ beforeEach, afterEach }, testKubeConfig());

/** The status a user waits for after setting spec.replicas: observed, rolled out, Ready. */
async function rolledOut(replicas: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const c = await getConfig(f.kc);
        const d = await getDeployment(f.kc, f.ns);
        return {
          observed: c?.status?.observedGeneration === c?.metadata.generation,
          deployment: d?.status?.readyReplicas,
          readyReplicas: c?.status?.readyReplicas,
          available: condition(c, 'Available')?.reason,
          progressing: condition(c, 'Progressing')?.status,
        };
      },
      { timeout: 60_000 },
    )
    .toEqual({ observed: true, deployment: replicas, readyReplicas: replicas, available: 'Ready', progressing: 'False' });
}

/** RolloutStarted Events in the operand namespace: what an admin asked to see, written beside the objects. */
async function rolloutEvents(): Promise<number> {
  const list = await kubeRequest<{ items: { reason?: string; series?: { count?: number } }[] }>(
    f.kc,
    'GET',
    `/apis/events.k8s.io/v1/namespaces/${f.ns}/events`,
  );
  return list.items.filter((e) => e.reason === 'RolloutStarted').reduce((n, e) => n + (e.series?.count ?? 1), 0);
}

/**
 * Writes the app sent for one replicas change, from a quiet start until it is quiet again: to objects
 * (the Deployment, the budget, the Config's status) and the Events it recorded, counted apart.
 */
async function writesFor(app: RunningWorkload, replicas: number): Promise<{ objects: number; events: number }> {
  await settled(f.kc, app);
  const before = await app.writes();
  const eventsBefore = await rolloutEvents();
  await patchConfig(f.kc, { replicas });
  await rolledOut(replicas);
  await settled(f.kc, app);
  const events = (await rolloutEvents()) - eventsBefore;
  return { objects: (await app.writes()) - before - events, events };
}

describe('one replicas change', () => {
  // The rollout steps in between (observed, scaled, each pod available) are not published one by one.
  it('costs the Deployment, its PodDisruptionBudget and one Config status write', { timeout: 240_000 }, async () => {
    // An interval no rollout here reaches: only the finished rollout is published, however slow the machine.
    const app = await f.managed({}, { rolloutStatusIntervalMs: 10 * 60_000 });
    await waitAvailable(f.kc);
    await rolledOut(1);
    // minAvailable follows replicas (0 for one pod, 1 for more), so each of these changes the budget too.
    expect(await writesFor(app, 2)).toEqual({ objects: 3, events: 1 });
    expect(await writesFor(app, 1)).toEqual({ objects: 3, events: 1 });
  });

  it('still shows a rollout that takes longer than the interval', { timeout: 120_000 }, async () => {
    const app = await f.managed({}, { rolloutStatusIntervalMs: 500 });
    await waitAvailable(f.kc);
    // No node can run a second pod with this selector: the rollout stays at minimum availability.
    await patchConfig(f.kc, { replicas: 2, nodeSelector: { 'no-such-label': 'x' } });
    await expect.poll(async () => condition(await getConfig(f.kc), 'Progressing'), { timeout: 30_000 }).toMatchObject({
      status: 'True',
      reason: 'DeploymentNotCompleted',
    });
    await settled(f.kc, app);
  });
});
