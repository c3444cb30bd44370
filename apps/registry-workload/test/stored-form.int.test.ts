import { testKubeConfig } from '@image-registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settled } from './quiet.ts';
import { getDeployment, useWorkloadFixture, waitAvailable } from './support.ts';

const f = useWorkloadFixture({ beforeEach, afterEach }, testKubeConfig());

describe('a Config whose resources, tolerations and affinity are not in the form the server stores', () => {
  // The server answers `0.5` as `500m` and drops empty strings and lists: copied as written, they made
  // every pass re-send the Deployment (issue #19).
  it('settles: once applied, a pass writes nothing', { timeout: 240_000 }, async () => {
    const app = await f.managed({
      resources: { requests: { cpu: '0.5', memory: '0.25Gi' }, limits: { memory: '1024Mi' } },
      tolerations: [{ key: 'dedicated', operator: 'Exists', value: '', effect: '' }],
      affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
    });
    await waitAvailable(f.kc);
    const pod = (await getDeployment(f.kc, f.ns))?.spec?.template.spec;
    expect(pod?.containers[0]?.resources).toEqual({ requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '1Gi' } });
    expect(pod?.tolerations).toEqual([{ key: 'dedicated', operator: 'Exists' }]);
    await settled(f.kc, app);
  });
});
