/**
 * A deterministic POSIX ustar writer for image layers: every entry is owned by 0:0 with mtime 0, so the
 * same files always give the same bytes (and the same layer digest), wherever and whenever they are built.
 */

export type TarEntry =
  | { type: 'dir'; path: string; mode: number; uid?: number; gid?: number }
  | { type: 'file'; path: string; mode: number; content: Buffer; uid?: number; gid?: number }
  | { type: 'symlink'; path: string; target: string };

export class TarPathError extends Error {
  override name = 'TarPathError';
}

/** Splits a path into ustar's name (100) and prefix (155) fields. */
function splitName(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  throw new TarPathError(`path too long for a ustar header: ${path}`);
}

function header(entry: TarEntry, size: number): Buffer {
  const h = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => h.write(value, offset, length, 'utf8');
  const octal = (offset: number, length: number, n: number) =>
    field(offset, length, `${n.toString(8).padStart(length - 1, '0')}\0`);
  const relative = entry.path.replace(/^\/+/, '');
  if (relative === '' || relative.split('/').includes('..')) throw new TarPathError(`bad layer path: ${entry.path}`);
  const { name, prefix } = splitName(entry.type === 'dir' ? `${relative}/` : relative);
  field(0, 100, name);
  octal(100, 8, entry.type === 'symlink' ? 0o777 : entry.mode);
  octal(108, 8, entry.type === 'symlink' ? 0 : (entry.uid ?? 0));
  octal(116, 8, entry.type === 'symlink' ? 0 : (entry.gid ?? 0));
  octal(124, 12, size);
  octal(136, 12, 0);
  field(148, 8, '        ');
  field(156, 1, entry.type === 'dir' ? '5' : entry.type === 'symlink' ? '2' : '0');
  if (entry.type === 'symlink') field(157, 100, entry.target);
  field(257, 8, 'ustar\u000000');
  field(345, 155, prefix);
  const checksum = h.reduce((sum, byte) => sum + byte, 0);
  field(148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

/**
 * The archive of `entries`, sorted by path and with every missing parent directory added (mode 0755),
 * so the result does not depend on the order the caller listed them in.
 */
export function tarArchive(entries: TarEntry[]): Buffer {
  const byPath = new Map<string, TarEntry>();
  for (const e of entries) {
    const path = e.path.replace(/^\/+/, '').replace(/\/+$/, '');
    if (byPath.has(path)) throw new TarPathError(`duplicate layer path: /${path}`);
    byPath.set(path, { ...e, path });
  }
  for (const path of [...byPath.keys()]) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!byPath.has(parent)) byPath.set(parent, { type: 'dir', path: parent, mode: 0o755 });
    }
  }
  const chunks: Buffer[] = [];
  for (const path of [...byPath.keys()].sort()) chunks.push(...tarEntryChunks(byPath.get(path) as TarEntry));
  chunks.push(tarEnd());
  return Buffer.concat(chunks);
}

/** One entry's header, content and padding, for writers that stream an archive entry by entry. */
export function tarEntryChunks(entry: TarEntry): Buffer[] {
  const content = entry.type === 'file' ? entry.content : Buffer.alloc(0);
  return [header(entry, content.length), content, Buffer.alloc((512 - (content.length % 512)) % 512)];
}

/** The two zero blocks that end an archive. */
export function tarEnd(): Buffer {
  return Buffer.alloc(1024);
}
