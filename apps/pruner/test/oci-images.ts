import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Bytes that do not compress, from a seed: the same seed gives the same layer (and digest). */
export function seededBytes(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let i = 0; i < size; i += block.length) {
    block.copy(out, i);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

export interface LayeredImage {
  ref: string;
  manifestDigest: string;
  configDigest: string;
  layers: { digest: string; size: number }[];
}

/**
 * An OCI image layout with the given layers (stored as-is, media type tar: the registry never looks
 * inside) and a config whose `created` is the image's creation time, so a prune can order tags.
 */
export function createLayeredImage(dir: string, opts: { tag: string; layers: Buffer[]; created: Date }): LayeredImage {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (data: Buffer | string) => {
    const digest = sha256(data);
    writeFileSync(join(blobs, digest.slice('sha256:'.length)), data);
    return { digest, size: Buffer.byteLength(data) };
  };
  const layers = opts.layers.map(put);
  const config = put(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: opts.created.toISOString(),
      config: {},
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    }),
  );
  const manifest = put(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...l })),
    }),
  );
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': opts.tag } }],
    }),
  );
  return { ref: `oci:${dir}:${opts.tag}`, manifestDigest: manifest.digest, configDigest: config.digest, layers };
}
