import { describe, expect, it } from 'vitest';
import { tarArchive, TarPathError, type TarEntry } from './tar.ts';

/** Names, types and sizes of an archive's entries (a minimal ustar reader). */
function list(tar: Buffer): { name: string; type: string; size: number; mode: number; uid: number }[] {
  const out = [];
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (o: number, l: number) => h.subarray(o, o + l).toString('utf8').replace(/\0.*$/s, '');
    const prefix = str(345, 155);
    const size = parseInt(str(124, 12), 8);
    out.push({ name: prefix ? `${prefix}/${str(0, 100)}` : str(0, 100), type: str(156, 1), size, mode: parseInt(str(100, 8), 8), uid: parseInt(str(108, 8), 8) });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

const file = (path: string, text: string): TarEntry => ({ type: 'file', path, mode: 0o644, content: Buffer.from(text) });

describe('tarArchive', () => {
  it('is the same bytes whatever order the entries come in', () => {
    const a = tarArchive([file('/b/x', '1'), file('/a', '2')]);
    const b = tarArchive([file('/a', '2'), file('/b/x', '1')]);
    expect(a.equals(b)).toBe(true);
  });

  it('adds every missing parent directory and sorts by path', () => {
    const entries = list(tarArchive([file('/usr/lib/x/libc.so', 'c'), { type: 'dir', path: '/tmp', mode: 0o1777 }]));
    expect(entries.map((e) => `${e.type} ${e.name}`)).toEqual(['5 tmp/', '5 usr/', '5 usr/lib/', '5 usr/lib/x/', '0 usr/lib/x/libc.so']);
    expect(entries[0]?.mode).toBe(0o1777);
  });

  it('keeps owners and sizes, and splits long paths into the ustar prefix', () => {
    const long = `/${'d'.repeat(90)}/${'f'.repeat(60)}`;
    const [dir, entry] = list(tarArchive([{ type: 'file', path: long, mode: 0o755, content: Buffer.alloc(700), uid: 1001, gid: 1001 }]));
    expect(dir?.name).toBe(`${'d'.repeat(90)}/`);
    expect(entry).toMatchObject({ name: long.slice(1), size: 700, mode: 0o755, uid: 1001 });
  });

  it('rejects paths that climb out of the root and duplicates', () => {
    expect(() => tarArchive([file('/a/../../etc/passwd', 'x')])).toThrow(TarPathError);
    expect(() => tarArchive([file('/a', 'x'), file('a', 'y')])).toThrow(/duplicate layer path: \/a/);
  });
});
