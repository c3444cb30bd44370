// managementstate_test.go, nodecadaemon_test.go (always deployed) and the seed command for managementState.
import { afterEach, describe, expect, it } from 'vitest';
import {
  condition,
  deploymentPath,
  ensureAvailable,
  ensureClusterOperatorNormal,
  ensureNodeCADaemonSetIsAvailable,
  ensureRemoved,
  freshConfig,
  get,
  getConfig,
  kubectl,
  teardown,
  timeout,
} from '../src/helpers.ts';

describe('management state', () => {
  afterEach(teardown);

  it('TestManagementStateRemoved', async () => {
    await freshConfig({});
    await ensureAvailable();
    await kubectl(
      'patch',
      'configs.imageregistry.operator.openshift.io',
      'cluster',
      '--type',
      'merge',
      '-p',
      '{"spec":{"managementState":"Removed"}}',
    );
    await ensureRemoved();
    await expect
      .poll(
        async () => {
          const c = await getConfig();
          return ['Available', 'Progressing', 'Degraded', 'Removed'].map(
            (t) => `${t}=${condition(c, t)?.status}/${condition(c, t)?.reason ?? ''}`,
          );
        },
        { timeout },
      )
      .toEqual([
        'Available=True/Removed',
        'Progressing=False/Removed',
        expect.stringMatching(/^Degraded=False\//),
        expect.stringMatching(/^Removed=True\//),
      ]);
    await expect.poll(() => get(deploymentPath()), { timeout }).toBeUndefined();
  });

  it('TestManagementStateUnmanaged', async () => {
    await freshConfig({});
    await ensureAvailable();
    await kubectl(
      'patch',
      'configs.imageregistry.operator.openshift.io',
      'cluster',
      '--type',
      'merge',
      '-p',
      '{"spec":{"managementState":"Unmanaged"}}',
    );
    await expect
      .poll(
        async () => {
          const c = await getConfig();
          return ['Available', 'Progressing', 'Degraded'].map(
            (t) => `${t}=${condition(c, t)?.status}/${condition(c, t)?.reason ?? ''}`,
          );
        },
        { timeout },
      )
      .toEqual(['Available=True/Unmanaged', 'Progressing=False/Unmanaged', 'Degraded=False/Unmanaged']);
  });

  it('TestRemovedToManagedTransition', async () => {
    await freshConfig({ managementState: 'Removed' });
    await ensureRemoved();
    await kubectl(
      'patch',
      'configs.imageregistry.operator.openshift.io',
      'cluster',
      '--type',
      'merge',
      '-p',
      '{"spec":{"managementState":"Managed"}}',
    );
    await ensureAvailable();
    await ensureClusterOperatorNormal();
  });

  it('TestStorageManagementState', async () => {
    await freshConfig({});
    await ensureAvailable();
    await expect.poll(async () => (await getConfig())?.status?.['storageManaged'], { timeout }).toBe(true);
    expect((await getConfig())?.status?.['storage']).toMatchObject({ managementState: 'Managed' });
    await kubectl(
      'patch',
      'configs.imageregistry.operator.openshift.io',
      'cluster',
      '--type',
      'merge',
      '-p',
      '{"spec":{"storage":{"managementState":"Unmanaged"}}}',
    );
    await expect.poll(async () => (await getConfig())?.status?.['storageManaged'], { timeout }).toBe(false);
    await ensureAvailable();
    await ensureClusterOperatorNormal();
  });

  it('TestNodeCADaemonAlwaysDeployed', async () => {
    await freshConfig({ managementState: 'Removed' });
    await ensureRemoved();
    await ensureNodeCADaemonSetIsAvailable();
  });
});
