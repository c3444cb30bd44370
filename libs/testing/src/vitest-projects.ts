import { join, relative } from 'node:path';
import type { TestProjectInlineConfiguration, ViteUserConfig } from 'vitest/config';
import { workspaceRoot } from './workspace.ts';

/**
 * App processes a test starts (they inherit the environment) hand leadership over in seconds, not after
 * the shipped 137 s lease: tests SIGKILL and restart apps, and a new process must not wait that long.
 */
const shortLease = { lease: '15s', renew: '10s', retry: '2s' };
export const shortLeaseTiming = {
  IRO_LEADER_ELECT_LEASE_DURATION: shortLease.lease,
  IRO_LEADER_ELECT_RENEW_DEADLINE: shortLease.renew,
  IRO_LEADER_ELECT_RETRY_PERIOD: shortLease.retry,
};
/** The same as flags, for a process started without the test environment. */
export const shortLeaseFlags = [
  `--leader-elect-lease-duration=${shortLease.lease}`,
  `--leader-elect-renew-deadline=${shortLease.renew}`,
  `--leader-elect-retry-period=${shortLease.retry}`,
];

/**
 * The two vitest projects every app and lib uses: fast hermetic unit tests beside the
 * code, and integration tests under test/ that share one real control plane.
 */
export function projects(root: string): TestProjectInlineConfiguration[] {
  return [
    {
      test: {
        name: 'unit',
        root,
        include: ['src/**/*.test.ts'],
        environment: 'node',
      },
    },
    {
      test: {
        name: 'integration',
        root,
        include: ['test/**/*.int.test.ts'],
        environment: 'node',
        globalSetup: [new URL('./global-setup.ts', import.meta.url).pathname],
        // Integration files share one API server and its cluster-scoped singletons (Config/cluster):
        // one file at a time keeps them independent and a 2-core machine responsive.
        fileParallelism: false,
        testTimeout: 120_000,
        hookTimeout: 180_000,
        env: shortLeaseTiming,
      },
    },
  ];
}

/**
 * The whole vitest config of a project at `root`. Besides the console report it writes a JSON
 * report to tmp/test-results/, which the test command adds up into one closing line.
 */
export function workspaceVitestConfig(root: string): ViteUserConfig {
  return {
    test: {
      projects: projects(root),
      reporters: ['default', 'json'],
      // tmp/test-results/<projectRoot>.json: nx.json declares it as the test target's output, so a
      // cached run restores it too.
      outputFile: { json: join(workspaceRoot(), 'tmp/test-results', `${relative(workspaceRoot(), root)}.json`) },
      passWithNoTests: true,
    },
  };
}
