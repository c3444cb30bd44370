import { applyYaml, kubeRequest, testKubeConfig } from '@image-registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conditionSummary, configPath, createConfig, getConfig, useWorkloadFixture } from './support.ts';

const f = useWorkloadFixture({ beforeEach, afterEach }, testKubeConfig());
const infrastructurePath = '/apis/config.openshift.io/v1/infrastructures/cluster';

describe('bootstrap of Config/cluster', () => {
  it('creates it from the nodes when there is no Infrastructure: platform None, registry Removed', async () => {
    await f.start();
    await expect.poll(async () => (await getConfig(f.kc))?.spec, { timeout: 30_000 }).toMatchObject({
      managementState: 'Removed',
      logLevel: 'Normal',
      operatorLogLevel: 'Normal',
      replicas: 1,
      rolloutStrategy: 'RollingUpdate',
      storage: {},
    });
    await expect.poll(() => conditionSummary(f.kc), { timeout: 30_000 }).toEqual({
      Available: 'True/Removed',
      Progressing: 'False/Removed',
      Degraded: 'False/Removed',
      Removed: 'True/Removed',
    });
    expect((await getConfig(f.kc))?.spec.httpSecret).toBeUndefined();
  });

  it('creates it from Infrastructure: S3 on AWS, one replica on single-replica infrastructure', async () => {
    await applyYaml(f.kc, { apiVersion: 'config.openshift.io/v1', kind: 'Infrastructure', metadata: { name: 'cluster' }, spec: {} }, { fieldManager: 'test' });
    try {
      await applyYaml(
        f.kc,
        {
          apiVersion: 'config.openshift.io/v1',
          kind: 'Infrastructure',
          metadata: { name: 'cluster' },
          status: { infrastructureName: 'test-abc12', platformStatus: { type: 'AWS', aws: { region: 'us-east-1' } }, infrastructureTopology: 'SingleReplica' },
        },
        { fieldManager: 'test', subresource: 'status' },
      );
      await f.start();
      await expect.poll(async () => (await getConfig(f.kc))?.spec, { timeout: 30_000 }).toMatchObject({
        managementState: 'Managed',
        replicas: 1,
        rolloutStrategy: 'RollingUpdate',
        storage: { s3: {} },
      });
    } finally {
      await kubeRequest(f.kc, 'DELETE', infrastructurePath).catch(() => undefined);
    }
  });

  it('never overwrites an existing Config, and creates a new one after the old is deleted', async () => {
    const mine = await createConfig(f.kc, { managementState: 'Unmanaged', replicas: 3 });
    await f.start();
    await expect.poll(() => conditionSummary(f.kc), { timeout: 30_000 }).toMatchObject({ Available: 'True/Unmanaged' });
    const now = await getConfig(f.kc);
    expect(now?.metadata.uid).toBe(mine.metadata.uid);
    expect(now?.spec).toMatchObject({ managementState: 'Unmanaged', replicas: 3 });

    await kubeRequest(f.kc, 'DELETE', configPath);
    await expect.poll(async () => (await getConfig(f.kc))?.metadata.uid ?? 'gone', { timeout: 30_000 }).not.toMatch(
      new RegExp(`^(gone|${mine.metadata.uid})$`),
    );
    expect((await getConfig(f.kc))?.spec.managementState).toBe('Removed');
  });
});
