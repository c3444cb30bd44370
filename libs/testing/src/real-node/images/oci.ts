import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tarArchive, tarEnd, tarEntryChunks, type TarEntry } from './tar.ts';

/** A content-addressed blob of an OCI image (OCI descriptor fields). */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface Layer extends Descriptor {
  /** Digest of the uncompressed tar: the config's `rootfs.diff_ids` entry. */
  diffId: string;
}

/** The runtime part of an image config (OCI image-spec `config`). */
export interface ImageRuntimeConfig {
  User: string;
  Entrypoint: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  Labels?: Record<string, string>;
}

export const mediaTypes = {
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  config: 'application/vnd.oci.image.config.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
} as const;

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function writeAtomic(path: string, data: Buffer | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp.${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Blobs by digest in one folder (`<dir>/sha256/<hex>`), shared by every image built into the cache. */
export class BlobStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  path(digest: string): string {
    return join(this.dir, digest.replace(':', '/'));
  }

  put(data: Buffer | string, mediaType: string): Descriptor {
    const digest = sha256(data);
    const path = this.path(digest);
    if (!existsSync(path)) writeAtomic(path, data);
    return { mediaType, digest, size: Buffer.byteLength(data) };
  }

  has(d: Descriptor): boolean {
    return existsSync(this.path(d.digest));
  }
}

/** Tars and gzips `entries` into one layer blob. */
export function buildLayer(store: BlobStore, entries: TarEntry[]): Layer {
  const tar = tarArchive(entries);
  // Level 1: the Node layer is 120 MB; faster by a few times for ~10 % more bytes that never leave the machine.
  const blob = store.put(gzipSync(tar, { level: 1 }), mediaTypes.layer);
  return { ...blob, diffId: sha256(tar) };
}

export interface ImageManifest {
  manifest: Descriptor;
  config: Descriptor;
  layers: Layer[];
}

/** Writes the config and manifest blobs of a linux/amd64 image made of `layers`. */
export function buildImage(store: BlobStore, layers: Layer[], runtime: ImageRuntimeConfig): ImageManifest {
  const config = store.put(
    JSON.stringify({
      // A fixed creation time keeps the digest a function of the content alone.
      created: '1970-01-01T00:00:00Z',
      architecture: 'amd64',
      os: 'linux',
      config: runtime,
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    }),
    mediaTypes.config,
  );
  const manifest = store.put(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes.manifest,
      config,
      layers: layers.map(({ mediaType, digest, size }) => ({ mediaType, digest, size })),
    }),
    mediaTypes.manifest,
  );
  return { manifest, config, layers };
}

/**
 * Writes an `oci-archive` (a tar of an OCI image layout) holding one image named `ref`
 * (`host/path:tag`): `skopeo copy oci-archive:<file>` and `ctr images import <file>` both read it.
 */
export function writeOciArchive(store: BlobStore, image: ImageManifest, ref: string, file: string): void {
  const tag = ref.slice(ref.lastIndexOf(':') + 1);
  const index = {
    schemaVersion: 2,
    mediaType: mediaTypes.index,
    manifests: [
      {
        ...image.manifest,
        annotations: { 'io.containerd.image.name': ref, 'org.opencontainers.image.ref.name': tag },
      },
    ],
  };
  const meta: TarEntry[] = [
    { type: 'file', path: 'oci-layout', mode: 0o644, content: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })) },
    { type: 'file', path: 'index.json', mode: 0o644, content: Buffer.from(JSON.stringify(index)) },
    { type: 'dir', path: 'blobs', mode: 0o755 },
    { type: 'dir', path: 'blobs/sha256', mode: 0o755 },
  ];
  const blobs = [image.manifest, image.config, ...image.layers];
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp.${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    const write = (chunks: Buffer[]) => chunks.forEach((c) => writeSync(fd, c));
    meta.forEach((e) => write(tarEntryChunks(e)));
    const seen = new Set<string>();
    for (const b of blobs) {
      if (seen.has(b.digest)) continue;
      seen.add(b.digest);
      const content = readFileSync(store.path(b.digest));
      write(tarEntryChunks({ type: 'file', path: `blobs/${b.digest.replace(':', '/')}`, mode: 0o644, content }));
    }
    write([tarEnd()]);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
