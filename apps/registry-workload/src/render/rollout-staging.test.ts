import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { stageDeployment } from './rollout-staging.ts';
import type { Wire } from './wire.ts';

const desired = (replicas: number, affinity?: object): Wire<V1Deployment> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'image-registry' },
  spec: { replicas, selector: {}, template: { spec: { containers: [], ...(affinity ? { affinity } : {}) } } },
});
const live = (replicas: number, affinity?: object) => ({ spec: { replicas, template: { spec: { affinity } } } });

describe('stageDeployment', () => {
  it('first drops the anti-affinity at the current scale when scaling 2 → 4', () => {
    const r = stageDeployment(desired(4), live(2, { podAntiAffinity: {} }));
    expect(r.staged).toBe(true);
    expect(r.apply.spec?.replicas).toBe(2);
    expect(r.apply.spec?.template.spec?.affinity).toBeUndefined();
  });

  it('applies the full object once the live one has no affinity', () => {
    const r = stageDeployment(desired(4), live(2));
    expect(r).toEqual({ apply: desired(4), staged: false });
  });

  it('applies atomically when scaling down or keeping affinity', () => {
    expect(stageDeployment(desired(1), live(2, { podAntiAffinity: {} })).staged).toBe(false);
    expect(stageDeployment(desired(4, { nodeAffinity: {} }), live(2, { podAntiAffinity: {} })).staged).toBe(false);
    expect(stageDeployment(desired(4), undefined).staged).toBe(false);
  });
});
