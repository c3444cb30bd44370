// pruner_test.go and the seed command for the ImagePruner schedule.
import { afterEach, describe, expect, it } from 'vitest';
import { ensureAvailable, freshConfig, get, kubectl, namespace, teardown, timeout } from '../src/helpers.ts';

interface CronJob {
  spec: {
    schedule: string;
    suspend?: boolean;
    jobTemplate: { spec: { template: { spec: { containers: { args?: string[]; command?: string[] }[] } } } };
  };
}
const cronJob = () => get<CronJob>(`/apis/batch/v1/namespaces/${namespace}/cronjobs/image-pruner`);
const args = async () =>
  (await cronJob())?.spec.jobTemplate.spec.template.spec.containers.flatMap((c) => [
    ...(c.command ?? []),
    ...(c.args ?? []),
  ]) ?? [];

describe('pruner', () => {
  afterEach(teardown);

  it('TestPruneRegistryFlag', async () => {
    await freshConfig({});
    await ensureAvailable();
    await expect.poll(args, { timeout }).toContain('--prune-registry=true');
    await kubectl(
      'patch',
      'configs.imageregistry.operator.openshift.io',
      'cluster',
      '--type',
      'merge',
      '-p',
      '{"spec":{"managementState":"Removed"}}',
    );
    await expect.poll(args, { timeout }).toContain('--prune-registry=false');
  });

  it('TestPruner (schedule and suspend, seed command)', async () => {
    await freshConfig({});
    await expect.poll(cronJob, { timeout }).toBeDefined();
    await kubectl(
      'patch',
      'imagepruner.imageregistry.operator.openshift.io/cluster',
      '--type=merge',
      '-p',
      '{"spec":{"schedule":"10 10 * * *","suspend":true}}',
    );
    await expect
      .poll(
        async () => ({
          schedule: (await cronJob())?.spec.schedule,
          suspend: (await cronJob())?.spec.suspend,
        }),
        { timeout },
      )
      .toEqual({ schedule: '10 10 * * *', suspend: true });
    await kubectl(
      'patch',
      'imagepruner.imageregistry.operator.openshift.io/cluster',
      '--type=merge',
      '-p',
      '{"spec":{"suspend":false}}',
    );
    await expect.poll(async () => (await cronJob())?.spec.suspend, { timeout }).toBe(false);
  });
});
