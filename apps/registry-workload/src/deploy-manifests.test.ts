import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOptions } from '@image-registry/controller-runtime';
import { parseManifests } from '@image-registry/testing';
import { describe, expect, it } from 'vitest';
import { parseWorkloadFlags, workloadFlags } from './options.ts';

// The shipped manifest and the code must agree (test/rbac.int.test.ts proves the RBAC on a real API server).
const deployment = parseManifests(readFileSync(join(import.meta.dirname, '../../../deploy/apps/registry-workload/deployment.yaml'), 'utf8')).find(
  (d) => d.kind === 'Deployment',
) as { spec: { template: { spec: { terminationGracePeriodSeconds?: number; containers: { args: string[]; env: { name: string; value?: string }[] }[] } } } } | undefined;

/** The runtime Manager's default graceful-shutdown budget (shutdownTimeoutMs), which the app does not change. */
const shutdownBudgetSeconds = 30;

describe('deploy/apps/registry-workload', () => {
  const pod = deployment?.spec.template.spec;

  it('starts the app with flags it accepts', () => {
    const container = pod?.containers[0];
    const args = (container?.args ?? []).map((a) => a.replace('$(POD_NAMESPACE)', 'openshift-image-registry'));
    const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));
    const opts = parseOptions(args, env, workloadFlags);
    expect(opts).toMatchObject({ namespace: 'openshift-image-registry', leaderElect: true, metricsBindAddress: ':8080' });
    expect(parseWorkloadFlags(opts.extra)).toMatchObject({ flavour: 'auto', servingCert: 'auto', releaseVersion: '0.0.1-snapshot' });
  });

  it('gives the pod a grace period above the shutdown budget, so SIGKILL never cuts the lease release', () => {
    expect(pod?.terminationGracePeriodSeconds).toBeGreaterThan(shutdownBudgetSeconds);
  });
});
