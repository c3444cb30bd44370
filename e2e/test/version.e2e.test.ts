// configuration_test.go TestVersionReporting: the release an operator runs is what the ClusterOperator reports.
import { afterEach, describe, expect, it } from 'vitest';
import { ensureAvailable, freshConfig, get, restartApp, teardown, timeout } from '../src/helpers.ts';

// Upstream sets RELEASE_VERSION on its one operator Deployment; here two apps carry the version: the one that
// stamps it on the registry Deployment and the one that reports it.
const versioned = ['registry-workload', 'status'];
const versions = async () =>
  (
    await get<{ status?: { versions?: { name: string; version: string }[] } }>(
      '/apis/config.openshift.io/v1/clusteroperators/image-registry',
    )
  )?.status?.versions;

describe('version reporting', () => {
  afterEach(async () => {
    for (const app of versioned) await restartApp(app);
    await teardown();
  });

  it('TestVersionReporting', async () => {
    await freshConfig({});
    await ensureAvailable();
    for (const app of versioned) await restartApp(app, { RELEASE_VERSION: 'test-v2' });
    await expect
      .poll(async () => (await versions())?.[0], { timeout })
      .toEqual({ name: 'operator', version: 'test-v2' });
  });
});
