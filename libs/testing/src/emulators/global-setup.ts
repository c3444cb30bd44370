import { ensureEmulators } from './binaries.ts';

/**
 * vitest globalSetup for projects whose integration tests start emulators (storage, registry
 * workload): builds or finds them once, before any test file, where no hook timeout applies.
 * Workers then find the paths in the environment instead of running the build script again.
 */
export default async function setup(): Promise<void> {
  await ensureEmulators();
}
