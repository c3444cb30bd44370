import { kubeRequest, testKubeConfig } from '@image-registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { condition, configPath, getConfig, patchConfig, useWorkloadFixture, waitAvailable } from './support.ts';

const f = useWorkloadFixture({ beforeEach, afterEach }, testKubeConfig());

const unschedulable = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'no-such-label', operator: 'In', values: ['x'] }] }],
    },
  },
};

describe('Available, Progressing and Degraded from the Deployment', () => {
  it('turns Degraded Unavailable once Available has been False for 5 minutes', async () => {
    let offsetMs = 0;
    await f.managed({ affinity: unschedulable }, { now: () => new Date(Date.now() + offsetMs) });
    await expect.poll(async () => condition(await getConfig(f.kc), 'Available'), { timeout: 30_000 }).toMatchObject({
      status: 'False',
      reason: 'NoReplicasAvailable',
      message: 'The deployment does not have available replicas',
    });
    expect(condition(await getConfig(f.kc), 'Degraded')?.status).toBe('False');
    // Six minutes later (for the app's clock), any pass reports it.
    offsetMs = 6 * 60_000;
    await kubeRequest(f.kc, 'PATCH', configPath, { metadata: { annotations: { 'test/nudge': '1' } } }, 'application/merge-patch+json');
    await expect.poll(async () => condition(await getConfig(f.kc), 'Degraded'), { timeout: 30_000 }).toMatchObject({
      status: 'True',
      reason: 'Unavailable',
      message: 'The deployment does not have available replicas',
    });
  });

  it('reports ProgressDeadlineExceeded when a rollout is stuck while the old pods still serve', { timeout: 300_000 }, async () => {
    await f.managed();
    await waitAvailable(f.kc);
    await patchConfig(f.kc, { affinity: unschedulable });
    await expect.poll(async () => condition(await getConfig(f.kc), 'Progressing'), { timeout: 30_000 }).toMatchObject({
      status: 'True',
      reason: 'DeploymentNotCompleted',
    });
    // progressDeadlineSeconds is 120.
    await expect.poll(async () => condition(await getConfig(f.kc), 'Degraded'), { timeout: 200_000, interval: 2_000 }).toMatchObject({
      status: 'True',
      reason: 'ProgressDeadlineExceeded',
      message: expect.stringMatching(/^Registry deployment has timed out progressing: .*progress/),
    });
    expect(condition(await getConfig(f.kc), 'Available')).toMatchObject({ status: 'True', reason: 'Ready' });
  });
});
