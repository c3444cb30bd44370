import { defineConfig } from 'vitest/config';
import { projects } from '@image-registry/testing/vitest';
// Temporary verification config (deleted before hand-off).
const alias = { '@image-registry/conditions': '/tmp/status-shim/conditions-index.ts' };
export default defineConfig({
  test: { projects: projects(import.meta.dirname).map((p) => ({ ...p, resolve: { alias } })) },
});
