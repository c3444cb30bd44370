import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { workspaceVitestConfig } from '@image-registry/testing/vitest';

const config = workspaceVitestConfig(import.meta.dirname);
// The prune test runs the CNCF registry, MinIO and skopeo: build or find them once, before
// any test file, where no hook timeout applies.
const emulators = createRequire(import.meta.url).resolve('@image-registry/testing/emulators-global-setup');
for (const project of config.test?.projects ?? []) {
  if (typeof project === 'object' && 'test' in project && project.test?.name === 'integration') {
    const current = project.test.globalSetup ?? [];
    project.test.globalSetup = [...(Array.isArray(current) ? current : [current]), emulators];
  }
}

export default defineConfig(config);
