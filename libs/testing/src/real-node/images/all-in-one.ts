import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runNx } from '../../nx.ts';
import type { FileSpec, ImageDefinition, ImageInputs, LayerSpec } from './definitions.ts';

/** The image deploy/overlays/all-in-one runs: the launcher as /app/main.mjs, every bundle as /app/apps/<app>/. */
export const allInOneImageName = 'all-in-one';

/**
 * The launcher (tools/launcher) and every app's bundle in one image, on the same Node layer as the app
 * images. The launcher finds the bundles in apps/ beside itself; nothing else differs from an app image.
 */
export function allInOneImage(
  nodeBase: LayerSpec,
  launcher: NonNullable<ImageInputs['launcher']>,
  bundles: ImageInputs['bundles'],
  config: ImageDefinition['config'],
): ImageDefinition {
  const file = (path: string, source: string): FileSpec => ({ type: 'file', path, mode: 0o644, source });
  return {
    name: allInOneImageName,
    layers: [
      nodeBase,
      { files: bundles.flatMap((b) => b.files.map((f) => file(`/app/apps/${b.app}/${f.path}`, f.source))) },
      { files: launcher.map((f) => file(`/app/${f.path}`, f.source)) },
    ],
    config: { ...config, Labels: { 'org.opencontainers.image.title': 'image-registry-operator all-in-one (tools/launcher)' } },
  };
}

/** Runs the launcher's (Nx-cached) bundle target, then lists dist/tools/launcher. */
export async function launcherBundle(root: string, bundle: boolean): Promise<NonNullable<ImageInputs['launcher']>> {
  if (bundle) {
    try {
      await runNx(['run', '@image-registry/launcher:bundle'], root);
    } catch (err) {
      throw new Error(`nx run @image-registry/launcher:bundle failed; fix the bundle error below\n${String((err as { stderr?: string }).stderr ?? err)}`, { cause: err });
    }
  }
  const dist = join(root, 'dist/tools/launcher');
  if (!existsSync(join(dist, 'main.mjs'))) throw new Error(`no launcher bundle in ${dist}; run npx nx run @image-registry/launcher:bundle`);
  return readdirSync(dist)
    .filter((f) => statSync(join(dist, f)).isFile())
    .sort()
    .map((f) => ({ path: f, source: join(dist, f) }));
}
