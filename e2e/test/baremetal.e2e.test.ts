// baremetal_test.go: on BareMetal and vSphere there is no default storage, so the bootstrapped Config is
// Removed and says so in every condition, while the ClusterOperator stays healthy.
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { condition, ensureClusterOperatorNormal, getConfig, teardown, timeout } from '../src/helpers.ts';
import { bootstrapConfig, restorePlatformNone, setInfrastructure } from '../src/platform.ts';
import { testInfrastructureName } from '../src/storage.ts';

/** Upstream's WaitUntilImageRegistryConfigIsProcessed, returning the three conditions' reasons. */
async function processedReasons() {
  const c = await getConfig();
  const processed =
    (c?.status?.observedGeneration ?? -1) >= (c?.metadata.generation ?? 0) &&
    ((condition(c, 'Progressing')?.status === 'False' && condition(c, 'Available')?.status === 'True') ||
      condition(c, 'Degraded')?.status === 'True');
  if (!processed) return undefined;
  return Object.fromEntries(
    ['Available', 'Degraded', 'Progressing'].map((t) => [t, condition(c, t)?.reason]),
  );
}

describe('platforms without default storage', () => {
  afterEach(teardown);

  it('TestBaremetalAndVSphereDefaults', async () => {
    onTestFinished(restorePlatformNone);
    for (const platform of ['BareMetal', 'VSphere']) {
      await setInfrastructure({
        infrastructureName: testInfrastructureName(),
        platform,
        platformStatus: { type: platform },
      });
      await bootstrapConfig(platform);
      await expect
        .poll(processedReasons, { timeout })
        .toEqual({ Available: 'Removed', Degraded: 'Removed', Progressing: 'Removed' });
      await ensureClusterOperatorNormal();
    }
  });
});
