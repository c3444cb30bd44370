import { testKubeConfig } from '@image-registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settled } from './quiet.ts';
import { condition, getConfig, patchConfig, useWorkloadFixture, waitAvailable } from './support.ts';

const f = useWorkloadFixture({ beforeEach, afterEach }, testKubeConfig());

describe('a Config with a nodeSelector', () => {
  // The Deployment then carries `topologySpreadConstraints: []`, which the API server drops: the no-op
  // check once took that for a change, and every pass (each step of a rollout) re-sent the Deployment.
  it('settles: once applied, a pass writes nothing, also while its rollout cannot finish', { timeout: 240_000 }, async () => {
    const app = await f.managed();
    await waitAvailable(f.kc);
    // No node carries the label: the second pod never schedules and the rollout stays in progress.
    await patchConfig(f.kc, { replicas: 2, nodeSelector: { 'no-such-label': 'x' } });
    await expect.poll(async () => condition(await getConfig(f.kc), 'Progressing')?.reason, { timeout: 60_000 }).toBe('DeploymentNotCompleted');
    await settled(f.kc, app);
  });
});
