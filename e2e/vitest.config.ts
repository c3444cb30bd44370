import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const workspace = join(import.meta.dirname, '..');

// One control plane and one system (every app as a process) for the whole project. Config/cluster is a
// singleton, so files and tests run one at a time, each from a fresh Config.
export default defineConfig({
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['test/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: [join(import.meta.dirname, 'src/global-setup.ts')],
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 240_000,
    hookTimeout: 300_000,
    reporters: ['default', 'json'],
    outputFile: { json: join(workspace, 'tmp/test-results/e2e.json') },
  },
});
