import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { mediaTypes } from './oci.ts';
import { tarEnd, tarEntryChunks } from './tar.ts';

interface Entry {
  name: string;
  size: number;
  offset: number;
}

/** The regular files of a tar archive: name, size and where the content starts (content is not read). */
function entries(fd: number): Entry[] {
  const out: Entry[] = [];
  const header = Buffer.alloc(512);
  for (let off = 0; readSync(fd, header, 0, 512, off) === 512; ) {
    if (header.every((b) => b === 0)) break;
    const field = (o: number, l: number) => header.subarray(o, o + l).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = parseInt(field(124, 12), 8) || 0;
    if (field(156, 1) === '0' || field(156, 1) === '') out.push({ name, size, offset: off + 512 });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

function read(fd: number, e: Entry): Buffer {
  const buf = Buffer.alloc(e.size);
  readSync(fd, buf, 0, e.size, e.offset);
  return buf;
}

/**
 * One oci-archive holding the images of several: one index with every manifest, each blob once. The app
 * images share their Node layer, so containerd then ingests it once instead of once per image.
 */
export function mergeOciArchives(archives: string[], file: string): void {
  const manifests: unknown[] = [];
  const blobs = new Map<string, { fd: number; entry: Entry }>();
  const fds = archives.map((a) => openSync(a, 'r'));
  try {
    fds.forEach((fd, i) => {
      const list = entries(fd);
      const index = list.find((e) => e.name === 'index.json');
      if (!index) throw new Error(`${archives[i]} is not an oci-archive (no index.json)`);
      manifests.push(...(JSON.parse(read(fd, index).toString('utf8')) as { manifests: unknown[] }).manifests);
      for (const e of list) if (e.name.startsWith('blobs/') && !blobs.has(e.name)) blobs.set(e.name, { fd, entry: e });
    });
    const out = openSync(file, 'w');
    try {
      const write = (chunks: Buffer[]) => chunks.forEach((c) => writeSync(out, c));
      const text = (path: string, content: string) => write(tarEntryChunks({ type: 'file', path, mode: 0o644, content: Buffer.from(content) }));
      text('oci-layout', JSON.stringify({ imageLayoutVersion: '1.0.0' }));
      text('index.json', JSON.stringify({ schemaVersion: 2, mediaType: mediaTypes.index, manifests }));
      for (const [name, { fd, entry }] of [...blobs].sort(([a], [b]) => a.localeCompare(b))) {
        write(tarEntryChunks({ type: 'file', path: name, mode: 0o644, content: read(fd, entry) }));
      }
      write([tarEnd()]);
    } finally {
      closeSync(out);
    }
  } finally {
    fds.forEach((fd) => closeSync(fd));
  }
}
