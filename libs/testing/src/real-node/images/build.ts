import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '../../workspace.ts';
import { imageDefinitions, type FileSpec, type ImageDefinition, type LayerSpec } from './definitions.ts';
import { writeBuildContext } from './context.ts';
import { cacheRoot, imageInputs } from './inputs.ts';
import { BlobStore, buildImage, buildLayer, writeOciArchive, type Layer } from './oci.ts';
import type { TarEntry } from './tar.ts';

/** Bump when the builder's output changes for equal inputs (tar format, config fields). */
const builderRevision = '2';
/** Where the images go: `localhost/…` is what container engines call a locally built image. */
export const imageRepository = 'localhost/image-registry-operator';

export interface BuiltImage {
  name: string;
  /** `localhost/image-registry-operator/<name>:<content key>`: a new tag whenever the content changes. */
  ref: string;
  /** The OCI archive (`oci-archive:` for skopeo, `ctr images import` for containerd). */
  archive: string;
  manifestDigest: string;
  /** False when the archive came from the cache. */
  built: boolean;
}

export interface BuildImagesOptions {
  /** Only these images (default: every one). */
  only?: string[];
  /** Run the apps' Nx bundle targets first (default true). */
  bundle?: boolean;
  /** Where layers and archives go (default `<cache>/images`); the Go binaries stay in the shared cache. */
  cacheDir?: string;
  log?: (line: string) => void;
}

const fileDigests = new Map<string, string>();
function fileDigest(path: string): string {
  let d = fileDigests.get(path);
  if (!d) {
    d = createHash('sha256').update(readFileSync(path)).digest('hex');
    fileDigests.set(path, d);
  }
  return d;
}

/** A layer's cache key: every path, mode, owner and content digest in it, not where a source lives. */
function layerKey(spec: LayerSpec): string {
  const parts = spec.files.map((f) => {
    const owner = f.type === 'text' ? '' : `${f.uid ?? 0}:${f.gid ?? 0}`;
    const content = f.type === 'file' ? fileDigest(f.source) : f.type === 'text' ? createHash('sha256').update(f.text).digest('hex') : '';
    return `${f.type} ${f.path} ${f.mode.toString(8)} ${owner} ${content}`;
  });
  return createHash('sha256').update(`${builderRevision}\n${parts.sort().join('\n')}`).digest('hex');
}

function entry(f: FileSpec): TarEntry {
  if (f.type === 'dir') return { type: 'dir', path: f.path, mode: f.mode, uid: f.uid, gid: f.gid };
  if (f.type === 'text') return { type: 'file', path: f.path, mode: f.mode, content: Buffer.from(f.text) };
  return { type: 'file', path: f.path, mode: f.mode, content: readFileSync(f.source), uid: f.uid, gid: f.gid };
}

function cachedLayer(store: BlobStore, dir: string, spec: LayerSpec): Layer {
  const memo = join(dir, `${layerKey(spec)}.json`);
  if (existsSync(memo)) {
    const layer = JSON.parse(readFileSync(memo, 'utf8')) as Layer;
    if (store.has(layer)) return layer;
  }
  const layer = buildLayer(store, spec.files.map(entry));
  mkdirSync(dir, { recursive: true });
  writeFileSync(memo, JSON.stringify(layer));
  return layer;
}

function buildOne(def: ImageDefinition, root: string): BuiltImage {
  const store = new BlobStore(join(root, 'blobs'));
  const layers = def.layers.map((l) => cachedLayer(store, join(root, 'layers'), l));
  const image = buildImage(store, layers, def.config);
  const tag = image.manifest.digest.slice('sha256:'.length, 'sha256:'.length + 12);
  const ref = `${imageRepository}/${def.name}:${tag}`;
  const archives = join(root, 'archives');
  const archive = join(archives, `${def.name}-${tag}.tar`);
  const built = !existsSync(archive);
  if (built) {
    writeOciArchive(store, image, ref, archive);
    // Older archives of this image are never used again.
    for (const f of readdirSync(archives)) {
      if (f.startsWith(`${def.name}-`) && f !== `${def.name}-${tag}.tar` && /^[0-9a-f]{12}\.tar$/.test(f.slice(def.name.length + 1))) {
        rmSync(join(archives, f), { force: true });
      }
    }
  }
  return { name: def.name, ref, archive, manifestDigest: image.manifest.digest, built };
}

/**
 * Builds every image (pause, registry, test-client, one per app with a bundle) into an OCI archive
 * each, under `<cache>/images/archives/`, reusing every layer and archive whose content is unchanged.
 */
export async function buildImages(options: BuildImagesOptions = {}): Promise<Map<string, BuiltImage>> {
  const log = options.log ?? (() => undefined);
  const root = workspaceRoot();
  const t0 = Date.now();
  const inputs = await imageInputs(root, { bundle: options.bundle ?? true, only: options.only });
  log(`inputs ready in ${Date.now() - t0} ms`);
  const defs = imageDefinitions(inputs).filter((d) => !options.only || options.only.includes(d.name));
  const missing = (options.only ?? []).filter((n) => !defs.some((d) => d.name === n));
  if (missing.length > 0) throw new Error(`no image definition named ${missing.join(', ')}`);
  const cache = options.cacheDir ?? join(cacheRoot(), 'images');
  const result = new Map<string, BuiltImage>();
  for (const def of defs) {
    const t = Date.now();
    const img = buildOne(def, cache);
    result.set(def.name, img);
    log(`${def.name}: ${img.ref} ${img.built ? `built in ${Date.now() - t} ms` : 'cached'}`);
  }
  log(`images ready in ${Date.now() - t0} ms`);
  return result;
}

/** Writes image `name`'s files into `<dir>/rootfs` (deploy/Containerfile's context); returns that folder. */
export async function imageBuildContext(name: string, dir: string): Promise<string> {
  const inputs = await imageInputs(workspaceRoot(), { bundle: true, only: [name] });
  const def = imageDefinitions(inputs).find((d) => d.name === name);
  if (!def) throw new Error(`no image definition named ${name}`);
  return writeBuildContext(def, dir);
}
