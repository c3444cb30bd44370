import type { TestProject } from 'vitest/node';
import { buildImages, realNodeUnavailableReason } from '@image-registry/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why the real-node tests cannot run here; empty when they can. */
    realNodeSkip: string;
    /** Every image, by name: `{ ref, archive }` (built once here, imported by each file's node). */
    realNodeImages: Record<string, { ref: string; archive: string; manifestDigest: string }>;
  }
}

/**
 * Decides whether the real-node tests run: they need root and the Debian packages the bootstrap installs.
 * Where they cannot, this says so in a banner (never a silent skip); under CI (always root) a missing
 * prerequisite fails the run instead. Then builds every image once for all files.
 */
export default async function setup(project: TestProject): Promise<void> {
  const reason = realNodeUnavailableReason() ?? '';
  if (reason && process.env['CI']) throw new Error(`the real-node tests must run in CI, but ${reason}`);
  project.provide('realNodeSkip', reason);
  if (reason) {
    const line = '='.repeat(100);
    console.warn(`\n${line}\nREAL-NODE TESTS NOT RUN: ${reason}\n${line}\n`);
    project.provide('realNodeImages', {});
    return;
  }
  const t0 = Date.now();
  // IRO_IMAGES_SKIP_BUNDLE=1 reuses dist/apps as it is (quicker iterations on the harness itself).
  const images = await buildImages({ bundle: process.env['IRO_IMAGES_SKIP_BUNDLE'] !== '1', log: (l) => console.log(`images: ${l}`) });
  console.log(`real-node: ${images.size} images ready in ${Date.now() - t0} ms`);
  project.provide(
    'realNodeImages',
    Object.fromEntries([...images].map(([name, i]) => [name, { ref: i.ref, archive: i.archive, manifestDigest: i.manifestDigest }])),
  );
}
