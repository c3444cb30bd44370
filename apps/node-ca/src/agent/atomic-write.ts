import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Prefix of every temporary name the agent creates; leftovers of a crash are recognised by it. */
export const tempPrefix = '.node-ca-tmp-';

/** A temporary name beside `path`, unique per call. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `${tempPrefix}${basename(path)}-${randomBytes(4).toString('hex')}`);
}

/** The file's bytes, or undefined when it does not exist. */
export async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Writes `data` to `path` so that readers see the old file or the new one, never a part: a temporary
 * file in the same directory (created exclusively, so a planted symlink is never followed), fsync,
 * rename. Returns false without touching the file when it already holds exactly `data`, which keeps
 * its mtime: an unchanged bundle costs the node no writes.
 */
export async function writeAtomic(path: string, data: Buffer, mode = 0o644): Promise<boolean> {
  const current = await readIfExists(path);
  if (current?.equals(data)) return false;
  const tmp = tempPathFor(path);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return true;
}

/**
 * Writes a file that may be a bind mount of a single file (the node's /etc/hosts inside the pod):
 * rename cannot replace a mount point and the directory around it is read-only, so when the atomic
 * path fails for those reasons the new content is written in place with one write, keeping the inode,
 * owner and mode. /etc/hosts is small; readers see the whole old or the whole new file in practice.
 */
export async function writeAtomicOrInPlace(path: string, data: Buffer): Promise<boolean> {
  const mode = (await stat(path).catch(() => undefined))?.mode;
  try {
    return await writeAtomic(path, data, mode === undefined ? 0o644 : mode & 0o7777);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EBUSY' && code !== 'EROFS' && code !== 'EXDEV' && code !== 'EACCES' && code !== 'EPERM') throw err;
  }
  const fh = await open(path, 'r+');
  try {
    await fh.truncate(0);
    await fh.write(data, 0, data.length, 0);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return true;
}
