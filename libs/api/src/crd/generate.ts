/**
 * Writes deploy/crds/*.yaml from the zod schemas and removes generated files that no longer have a
 * schema. Run with `npx nx run @image-registry/api:generate-crds`.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderAllCrds } from './render.ts';

export const crdDirectory = new URL('../../../../deploy/crds/', import.meta.url).pathname;

export async function writeCrds(directory: string = crdDirectory): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const files = renderAllCrds();
  for (const [name, text] of files) await writeFile(join(directory, name), text);
  for (const name of await readdir(directory)) {
    if (name.endsWith('.yaml') && !files.has(name)) await rm(join(directory, name));
  }
  return [...files.keys()];
}

if (import.meta.main) {
  const written = await writeCrds();
  console.log(`wrote ${written.length} files to ${crdDirectory}:\n  ${written.join('\n  ')}`);
}
