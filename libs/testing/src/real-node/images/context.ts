import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ImageDefinition } from './definitions.ts';

/**
 * Writes an image's files as a plain tree (`<dir>/rootfs`), the build context of deploy/Containerfile:
 * `COPY rootfs/ /` then gives the same files as the OCI archive's layers (owners become root, as they are).
 */
export function writeBuildContext(def: ImageDefinition, dir: string): string {
  const root = join(dir, 'rootfs');
  rmSync(root, { recursive: true, force: true });
  for (const layer of def.layers) {
    for (const f of layer.files) {
      const target = join(root, f.path);
      if (f.type === 'dir') {
        mkdirSync(target, { recursive: true });
      } else {
        mkdirSync(dirname(target), { recursive: true });
        if (f.type === 'file') copyFileSync(f.source, target);
        else writeFileSync(target, f.text);
      }
      chmodSync(target, f.mode);
    }
  }
  return root;
}
