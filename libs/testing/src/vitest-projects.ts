import type { TestProjectInlineConfiguration } from 'vitest/config';

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
        // Integration files share one API server; running them one at a time keeps a 2-core machine responsive.
        fileParallelism: false,
        testTimeout: 120_000,
        hookTimeout: 180_000,
      },
    },
  ];
}
