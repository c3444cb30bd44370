import { defineConfig } from 'vitest/config';
import { projects } from '@image-registry/testing/vitest';

export default defineConfig({ test: { projects: projects(import.meta.dirname) } });
