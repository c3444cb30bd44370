import { defineConfig } from 'vitest/config';
import { workspaceVitestConfig } from '@image-registry/testing/vitest';

export default defineConfig(workspaceVitestConfig(import.meta.dirname));
