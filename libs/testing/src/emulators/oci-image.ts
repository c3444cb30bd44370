import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface TinyImage {
  /** The OCI image layout folder. */
  dir: string;
  tag: string;
  /** `oci:<dir>:<tag>`, a skopeo source or destination. */
  ref: string;
  /** Digest of the image manifest: the same after a push and pull through a registry. */
  manifestDigest: string;
  configDigest: string;
  layerDigest: string;
  /** The one file in the layer, `hello.txt`. */
  fileContent: string;
}

function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** A POSIX ustar archive holding one regular file. */
function tarOneFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) =>
    header.write(value, offset, length, 'ascii');
  const octal = (offset: number, length: number, n: number) =>
    field(offset, length, `${n.toString(8).padStart(length - 1, '0')}\0`);
  field(0, 100, name);
  octal(100, 8, 0o644); // mode
  octal(108, 8, 0); // uid
  octal(116, 8, 0); // gid
  octal(124, 12, content.length);
  octal(136, 12, 0); // mtime: fixed, so equal content gives equal digests
  field(148, 8, '        '); // checksum is computed over spaces here
  field(156, 1, '0'); // regular file
  field(257, 8, 'ustar\u000000');
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  field(148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

/**
 * Writes a one-layer OCI image (a `hello.txt` with random content, so every image is new to the
 * registry) as an OCI image layout in `dir`, without network or container engine.
 * Push it with `skopeoCopy(image.ref, 'docker://<registry>/<repo>:<tag>')`.
 */
export function createTinyImage(dir: string, opts: { tag?: string; content?: string } = {}): TinyImage {
  const tag = opts.tag ?? 'latest';
  const fileContent =
    opts.content ?? `hello from image-registry-operator tests ${randomBytes(8).toString('hex')}\n`;
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const putBlob = (data: Buffer | string): { digest: string; size: number } => {
    const digest = sha256(data);
    writeFileSync(join(blobs, digest.slice('sha256:'.length)), data);
    return { digest, size: Buffer.byteLength(data) };
  };

  const tar = tarOneFile('hello.txt', Buffer.from(fileContent));
  const layer = putBlob(gzipSync(tar));
  const config = putBlob(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
      history: [{ created_by: 'image-registry-operator tests' }],
    }),
  );
  const manifest = putBlob(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
    }),
  );
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifest,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return {
    dir,
    tag,
    ref: `oci:${dir}:${tag}`,
    manifestDigest: manifest.digest,
    configDigest: config.digest,
    layerDigest: layer.digest,
    fileContent,
  };
}

/** The manifest digest that an OCI layout's index.json records for `tag` (e.g. after a pull). */
export function ociManifestDigest(dir: string, tag: string): string {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
    manifests?: { digest?: string; annotations?: Record<string, string> }[];
  };
  const entry = index.manifests?.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!entry?.digest) throw new Error(`no manifest tagged ${tag} in ${join(dir, 'index.json')}`);
  return entry.digest;
}
