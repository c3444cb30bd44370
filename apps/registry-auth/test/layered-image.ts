import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';

export interface LayeredImage {
  dir: string;
  ref: string;
  manifestDigest: string;
  /** Digest of every blob: config and layers. */
  blobDigests: string[];
  layerDigests: string[];
}

const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/**
 * An OCI image layout with `layers` gzip layers, each a tar of `layerBytes` random bytes, so every image
 * is new to the registry. Already compressed, so skopeo pushes the blobs as they are (it compresses
 * uncompressed layers for registries) and every digest survives the trip.
 */
export function createLayeredImage(dir: string, opts: { tag: string; layers: number; layerBytes: number }): LayeredImage {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (data: Buffer | string) => {
    const digest = sha256(data);
    writeFileSync(join(blobs, digest.slice(7)), data);
    return { digest, size: Buffer.byteLength(data) };
  };
  const diffIds: string[] = [];
  const layers = Array.from({ length: opts.layers }, (_, i) => {
    const header = Buffer.alloc(512);
    header.write(`layer-${i}.bin`, 0, 'ascii');
    const padding = Buffer.alloc((512 - (opts.layerBytes % 512)) % 512);
    const tar = Buffer.concat([header, randomBytes(opts.layerBytes), padding, Buffer.alloc(1024)]);
    diffIds.push(sha256(tar));
    return put(gzipSync(tar, { level: constants.Z_BEST_SPEED }));
  });
  const config = put(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: diffIds } }));
  const manifest = put(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...l })),
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
  return {
    dir,
    ref: `oci:${dir}:${opts.tag}`,
    manifestDigest: manifest.digest,
    blobDigests: [config.digest, ...layers.map((l) => l.digest)],
    layerDigests: layers.map((l) => l.digest),
  };
}

/** sha256 of every blob file in an OCI layout, checked against its name: what "byte-identical" means here. */
export function verifiedBlobs(dir: string): string[] {
  const blobs = join(dir, 'blobs', 'sha256');
  return readdirSync(blobs)
    .map((name) => {
      const digest = sha256(readFileSync(join(blobs, name)));
      if (digest !== `sha256:${name}`) throw new Error(`blob ${name} in ${dir} does not match its digest (${digest})`);
      return digest;
    })
    .sort();
}
