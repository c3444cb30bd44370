import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { BlobStore, buildImage, buildLayer, mediaTypes, sha256, writeOciArchive } from './oci.ts';

/** The files of a tar archive by name (enough for the small archives written here). */
function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(h.subarray(124, 136).toString('utf8'), 8);
    files.set(name, tar.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

describe('OCI images written directly', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'oci-test-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  const build = (dir: string) => {
    const store = new BlobStore(join(dir, 'blobs'));
    const layer = buildLayer(store, [{ type: 'file', path: '/hello', mode: 0o755, content: Buffer.from('hi') }]);
    return { store, layer, image: buildImage(store, [layer], { User: '65532:65532', Entrypoint: ['/hello'] }) };
  };

  it('gives the same digests for the same content, wherever it is built', () => {
    expect(build(tmp()).image.manifest.digest).toBe(build(tmp()).image.manifest.digest);
  });

  it('records the uncompressed layer digest as the config diff_id and the user and entrypoint', () => {
    const { store, layer, image } = build(tmp());
    const blob = readFileSync(store.path(layer.digest));
    expect(sha256(blob)).toBe(layer.digest);
    expect(sha256(gunzipSync(blob))).toBe(layer.diffId);
    const config = JSON.parse(readFileSync(store.path(image.config.digest), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [layer.diffId] } });
    expect(config['config']).toEqual({ User: '65532:65532', Entrypoint: ['/hello'] });
  });

  it('writes an oci-archive naming the image for containerd and skopeo, with every blob', () => {
    const dir = tmp();
    const { store, image } = build(dir);
    const file = join(dir, 'img.tar');
    writeOciArchive(store, image, 'localhost/image-registry-operator/hello:abc', file);
    const files = untar(readFileSync(file));
    const index = JSON.parse(files.get('index.json')?.toString() ?? '{}') as { manifests: { digest: string; mediaType: string; annotations: Record<string, string> }[] };
    expect(index.manifests).toEqual([
      expect.objectContaining({
        digest: image.manifest.digest,
        mediaType: mediaTypes.manifest,
        annotations: { 'io.containerd.image.name': 'localhost/image-registry-operator/hello:abc', 'org.opencontainers.image.ref.name': 'abc' },
      }),
    ]);
    for (const d of [image.manifest, image.config, ...image.layers]) {
      expect(sha256(files.get(`blobs/${d.digest.replace(':', '/')}`) ?? '')).toBe(d.digest);
    }
  });
});
