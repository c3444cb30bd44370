// configuration_test.go and the seed documents' commands (replicas, logLevel, nodeSelector, defaultRoute).
import { afterEach, describe, expect, it } from 'vitest';
import {
  deploymentPath,
  ensureAvailable,
  ensureClusterOperatorNormal,
  freshConfig,
  get,
  kubectl,
  namespace,
  teardown,
  timeout,
} from '../src/helpers.ts';

interface PodSpec {
  nodeSelector?: Record<string, string>;
  tolerations?: unknown[];
  containers: {
    name: string;
    env?: { name: string; value?: string }[];
    resources?: { limits?: Record<string, string> };
  }[];
}
interface Deployment {
  spec: { replicas?: number; strategy?: { type?: string }; template: { spec: PodSpec } };
  status?: { readyReplicas?: number };
}
const registry = () => get<Deployment>(deploymentPath());
const registryEnv = async () =>
  Object.fromEntries(
    ((await registry())?.spec.template.spec.containers.find((c) => c.name === 'registry')?.env ?? []).map(
      (e) => [e.name, e.value],
    ),
  );
const patchConfig = (json: string) =>
  kubectl('patch', 'configs.imageregistry.operator.openshift.io', 'cluster', '--type', 'merge', '-p', json);

describe('configuration', () => {
  afterEach(teardown);

  it('TestScaleUp', async () => {
    await freshConfig({ replicas: 2 });
    await ensureAvailable();
    await patchConfig('{"spec":{"replicas":4}}');
    await expect.poll(async () => (await registry())?.status?.readyReplicas, { timeout }).toBe(4);
    await ensureAvailable();
  });

  it('TestScaleDown', async () => {
    await freshConfig({ replicas: 2 });
    await ensureAvailable();
    await patchConfig('{"spec":{"replicas":1}}');
    await expect.poll(async () => (await registry())?.spec.replicas, { timeout }).toBe(1);
    await ensureAvailable();
    await expect.poll(async () => (await registry())?.status?.readyReplicas, { timeout }).toBe(1);
  });

  it('TestRolloutStrategyConfiguration', async () => {
    await freshConfig({ rolloutStrategy: 'Recreate' });
    await ensureAvailable();
    expect((await registry())?.spec.strategy?.type).toBe('Recreate');
  });

  it('TestPodTolerationsConfiguration', async () => {
    const tolerations = [{ key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' }];
    await freshConfig({ tolerations });
    await expect
      .poll(async () => (await registry())?.spec.template.spec.tolerations, { timeout })
      .toEqual(tolerations);
  });

  it('TestPodResourceConfiguration', async () => {
    await freshConfig({ resources: { limits: { memory: '512Mi' } } });
    await expect
      .poll(
        async () =>
          (await registry())?.spec.template.spec.containers.find((c) => c.name === 'registry')?.resources
            ?.limits?.['memory'],
        { timeout },
      )
      .toBe('512Mi');
  });

  it('TestDisableRedirect', async () => {
    await freshConfig({ disableRedirect: true });
    await expect
      .poll(async () => (await registryEnv())['REGISTRY_STORAGE_REDIRECT_DISABLE'], { timeout })
      .toBe('true');
  });

  it('logLevel (seed): kubectl patch … {"spec":{"logLevel":"Debug"}}', async () => {
    await freshConfig({});
    await ensureAvailable();
    await patchConfig('{"spec":{"logLevel":"Debug"}}');
    await expect.poll(async () => (await registryEnv())['REGISTRY_LOG_LEVEL'], { timeout }).toBe('debug');
    await ensureAvailable();
  });

  it('nodeSelector (seed): kubectl patch … {"spec":{"nodeSelector":{…}}}', async () => {
    await freshConfig({});
    await ensureAvailable();
    await patchConfig('{"spec":{"nodeSelector":{"kubernetes.io/os":"linux"}}}');
    await expect
      .poll(async () => (await registry())?.spec.template.spec.nodeSelector, { timeout })
      .toEqual({ 'kubernetes.io/os': 'linux' });
    await ensureAvailable();
    await ensureClusterOperatorNormal();
  });

  it('defaultRoute (seed): kubectl patch … {"spec":{"defaultRoute":true}}', async () => {
    await freshConfig({});
    await ensureAvailable();
    await patchConfig('{"spec":{"defaultRoute":true}}');
    await expect
      .poll(
        async () =>
          (await get(`/apis/route.openshift.io/v1/namespaces/${namespace}/routes/default-route`)) !==
          undefined,
        { timeout },
      )
      .toBe(true);
  });
});
