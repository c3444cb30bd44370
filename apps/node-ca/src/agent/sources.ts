import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** One key of the mounted certificates ConfigMap. */
export interface SourceFile {
  key: string;
  data: Buffer;
}

/** A ConfigMap holds at most 1 MiB; a bigger file is not one of its keys. */
const maxFileBytes = 1024 * 1024;

/**
 * The keys of a ConfigMap mounted as a volume: each key is a symlink into the kubelet's `..data`
 * folder, so files are followed, while the kubelet's own `..`-prefixed entries and directories are
 * skipped. A missing folder means an empty bundle.
 */
export async function readSourceDir(dir: string): Promise<{ files: SourceFile[]; problems: string[] }> {
  const files: SourceFile[] = [];
  const problems: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { files, problems };
    throw err;
  }
  for (const key of names.sort()) {
    if (key.startsWith('..')) continue;
    const path = join(dir, key);
    try {
      const st = await stat(path);
      if (!st.isFile()) continue;
      if (st.size > maxFileBytes) {
        problems.push(`${key}: larger than 1 MiB, not a ConfigMap key`);
        continue;
      }
      files.push({ key, data: await readFile(path) });
    } catch (err) {
      problems.push(`${key}: ${(err as Error).message}`);
    }
  }
  return { files, problems };
}
