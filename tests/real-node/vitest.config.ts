import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const workspace = join(import.meta.dirname, '../..');

// One project: every file starts its own control plane with the one real node a machine can run, so
// files run one at a time. The global setup decides, and says loudly, whether they can run at all.
export default defineConfig({
  test: {
    name: 'real-node',
    root: import.meta.dirname,
    include: ['test/**/*.int.test.ts'],
    environment: 'node',
    globalSetup: [join(import.meta.dirname, 'test/global-setup.ts')],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 600_000,
    reporters: ['default', 'json'],
    outputFile: { json: join(workspace, 'tmp/test-results/tests/real-node.json') },
    passWithNoTests: true,
  },
});
