import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createTinyImage, ociManifestDigest } from './oci-image.ts';

const blob = (dir: string, digest: string) =>
  readFileSync(join(dir, 'blobs/sha256', digest.slice('sha256:'.length)));
const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

describe('createTinyImage', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes an OCI layout whose index, manifest, config and layer are linked by their digests', () => {
    dir = mkdtempSync(join(tmpdir(), 'iro-oci-'));
    const image = createTinyImage(dir, { tag: 'v1', content: 'hello\n' });
    expect(image.ref).toBe(`oci:${dir}:v1`);
    expect(ociManifestDigest(dir, 'v1')).toBe(image.manifestDigest);
    expect(JSON.parse(readFileSync(join(dir, 'oci-layout'), 'utf8'))).toEqual({
      imageLayoutVersion: '1.0.0',
    });

    for (const digest of [image.manifestDigest, image.configDigest, image.layerDigest]) {
      expect(sha256(blob(dir, digest))).toBe(digest);
    }
    const manifest = JSON.parse(blob(dir, image.manifestDigest).toString()) as {
      config: { digest: string; size: number };
      layers: { digest: string; size: number }[];
    };
    expect(manifest.config).toMatchObject({
      digest: image.configDigest,
      size: blob(dir, image.configDigest).length,
    });
    expect(manifest.layers).toEqual([
      expect.objectContaining({ digest: image.layerDigest, size: blob(dir, image.layerDigest).length }),
    ]);

    const tar = gunzipSync(blob(dir, image.layerDigest));
    const config = JSON.parse(blob(dir, image.configDigest).toString()) as { rootfs: { diff_ids: string[] } };
    expect(config.rootfs.diff_ids).toEqual([sha256(tar)]);
  });

  it('packs the file as a ustar entry with a valid header checksum', () => {
    dir = mkdtempSync(join(tmpdir(), 'iro-oci-'));
    const image = createTinyImage(dir, { content: 'hello\n' });
    const tar = gunzipSync(blob(dir, image.layerDigest));
    const header = tar.subarray(0, 512);
    expect(header.toString('ascii', 0, 9)).toBe('hello.txt');
    expect(header.toString('ascii', 257, 262)).toBe('ustar');
    const size = parseInt(header.toString('ascii', 124, 135), 8);
    expect(tar.toString('utf8', 512, 512 + size)).toBe('hello\n');
    const stored = parseInt(header.toString('ascii', 148, 154), 8);
    const computed = [...header].reduce((sum, byte, i) => sum + (i >= 148 && i < 156 ? 32 : byte), 0);
    expect(stored).toBe(computed);
    expect(tar.length % 512).toBe(0);
  });

  it('gives every image new content by default, so each push uploads a new layer', () => {
    dir = mkdtempSync(join(tmpdir(), 'iro-oci-'));
    const a = createTinyImage(join(dir, 'a'));
    const b = createTinyImage(join(dir, 'b'));
    expect(a.layerDigest).not.toBe(b.layerDigest);
  });
});
