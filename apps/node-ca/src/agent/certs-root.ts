import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempPrefix, writeAtomic } from './atomic-write.ts';

/**
 * The file that marks a directory as the agent's. Only a directory holding it is ever updated or
 * removed; a directory an admin made for the same host is left exactly as it is.
 */
export const markerName = '.node-ca-owned';
export const markerContent =
  'This directory is written by the image-registry-operator node-ca agent and removed when its host\n' +
  'leaves ConfigMap image-registry-certificates. Without this file the agent never touches it.\n';

const concurrency = 16;

/** Per host directory, the files it must hold (name → bytes). */
export type RootPlan = Map<string, Map<string, Buffer>>;

export interface RootResult {
  copied: number;
  skipped: number;
  trimmed: number;
  /** Hosts whose directory someone else made: left alone. */
  foreign: string[];
  errors: string[];
}

/**
 * Converges one certs.d root on `plan`: creates missing host directories whole (built under a
 * temporary name with the marker, then renamed, so a crash never leaves an unmarked directory that
 * would later count as an admin's), rewrites changed files atomically, and removes marked directories
 * whose host is gone. Nothing outside `root` is touched and symlinks are never followed.
 */
export async function syncRoot(root: string, plan: RootPlan): Promise<RootResult> {
  const result: RootResult = { copied: 0, skipped: 0, trimmed: 0, foreign: [], errors: [] };
  await mkdir(root, { recursive: true, mode: 0o755 });
  const rootStat = await lstat(root);
  if (!rootStat.isDirectory() && !rootStat.isSymbolicLink()) throw new Error(`${root} is not a directory`);

  const one = async (host: string, files: Map<string, Buffer>) => {
    const dir = join(root, host);
    try {
      const kind = await ownership(dir);
      if (kind === 'absent') {
        await createDir(root, host, files);
        result.copied += files.size;
      } else if (kind === 'foreign') {
        result.foreign.push(host);
      } else {
        for (const [name, data] of files) {
          if (await writeAtomic(join(dir, name), data)) result.copied++;
          else result.skipped++;
        }
      }
    } catch (err) {
      result.errors.push(`${dir}: ${(err as Error).message}`);
    }
  };
  // Hosts are independent: a few at a time keeps libuv's thread pool busy (500 hosts are 3000 file
  // operations per root) without opening hundreds of files at once.
  const entries = [...plan];
  for (let i = 0; i < entries.length; i += concurrency) {
    await Promise.all(entries.slice(i, i + concurrency).map(([host, files]) => one(host, files)));
  }

  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const leftover = entry.name.startsWith(tempPrefix);
    if (!leftover && plan.has(entry.name)) continue;
    const dir = join(root, entry.name);
    try {
      if ((await ownership(dir)) !== 'ours') continue;
      await rm(dir, { recursive: true, force: true });
      if (!leftover) result.trimmed++;
    } catch (err) {
      result.errors.push(`${dir}: ${(err as Error).message}`);
    }
  }
  return result;
}

/** Whose a host directory is: missing, the agent's (marked), or someone else's (anything else). */
async function ownership(dir: string): Promise<'absent' | 'ours' | 'foreign'> {
  let st;
  try {
    st = await lstat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw err;
  }
  if (!st.isDirectory()) return 'foreign';
  try {
    return (await lstat(join(dir, markerName))).isFile() ? 'ours' : 'foreign';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'foreign';
    throw err;
  }
}

async function createDir(root: string, host: string, files: Map<string, Buffer>): Promise<void> {
  const tmp = join(root, `${tempPrefix}${host}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp, { mode: 0o755 });
  try {
    await writeFile(join(tmp, markerName), markerContent, { mode: 0o644, flag: 'wx' });
    for (const [name, data] of files) await writeFile(join(tmp, name), data, { mode: 0o644, flag: 'wx' });
    // rename(2) onto a directory that appeared meanwhile fails (ENOTEMPTY/EEXIST) unless it is empty;
    // an empty one is then replaced, which loses nothing.
    await rename(tmp, join(root, host));
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
