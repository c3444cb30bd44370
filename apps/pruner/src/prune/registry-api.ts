import { createHash } from 'node:crypto';
import { RegistryHttpError, type HttpResponse, type RegistryHttp } from './registry-http.ts';

export const manifestMediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;
const accept = Object.values(manifestMediaTypes).join(', ');

/** A manifest as the prune reads it: what it references, and how big each blob is. */
export interface Manifest {
  digest: string;
  mediaType: string;
  size: number;
  /** Image manifests: the config blob. */
  config?: { digest: string; size: number };
  layers: { digest: string; size: number }[];
  /** Indexes: the manifests they list. */
  children: { digest: string; size: number }[];
}

/** An answer the registry should not have given: a broken manifest, a config that is not JSON. */
export class InvalidReferenceError extends Error {
  override name = 'InvalidReferenceError';
}

interface Described {
  digest?: unknown;
  size?: unknown;
}

function descriptor(d: Described | undefined, what: string): { digest: string; size: number } {
  if (!d || typeof d.digest !== 'string' || !/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(d.digest)) {
    throw new InvalidReferenceError(`${what} has no valid digest`);
  }
  return { digest: d.digest, size: typeof d.size === 'number' && d.size >= 0 ? d.size : 0 };
}

/** Distribution's v2 API, as far as pruning needs it. Every call names the repository in its errors. */
export class RegistryApi {
  private readonly http: RegistryHttp;

  constructor(http: RegistryHttp) {
    this.http = http;
  }

  /** Every repository (`/v2/_catalog`, following `Link` pages). */
  async repositories(pageSize = 1000): Promise<string[]> {
    return this.paged(`/v2/_catalog?n=${pageSize}`, 'repositories', 'list the repositories');
  }

  /** Every tag of `repo`; empty when the repository has none (or is gone). */
  async tags(repo: string, pageSize = 1000): Promise<string[]> {
    return this.paged(`/v2/${repo}/tags/list?n=${pageSize}`, 'tags', `list the tags of ${repo}`, [404]);
  }

  /** The manifest `reference` (a tag or digest) of `repo`; undefined when it does not exist. */
  async manifest(repo: string, reference: string): Promise<Manifest | undefined> {
    const res = await this.http.send('GET', `/v2/${repo}/manifests/${reference}`, { accept });
    if (res.status === 404) return undefined;
    expectOk(res, `get manifest ${repo}:${reference}`);
    const digest = `sha256:${createHash('sha256').update(res.body).digest('hex')}`;
    let doc: { mediaType?: unknown; config?: Described; layers?: Described[]; manifests?: Described[] };
    try {
      doc = JSON.parse(res.body.toString('utf8')) as typeof doc;
    } catch (err) {
      throw new InvalidReferenceError(`manifest ${repo}:${reference} is not JSON`, { cause: err });
    }
    const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : String(res.headers['content-type'] ?? '');
    const manifest: Manifest = { digest, mediaType, size: res.body.length, layers: [], children: [] };
    if (Array.isArray(doc.manifests)) {
      manifest.children = doc.manifests.map((m, i) => descriptor(m, `${repo}:${reference} manifests[${i}]`));
    } else {
      manifest.config = descriptor(doc.config, `${repo}:${reference} config`);
      manifest.layers = (doc.layers ?? []).map((l, i) => descriptor(l, `${repo}:${reference} layers[${i}]`));
    }
    return manifest;
  }

  /** The image's creation time from its config blob (`created`); undefined when the config has none. */
  async created(repo: string, configDigest: string): Promise<Date | undefined> {
    const res = await this.http.send('GET', `/v2/${repo}/blobs/${configDigest}`);
    if (res.status === 404) throw new InvalidReferenceError(`config blob ${configDigest} of ${repo} does not exist`);
    expectOk(res, `get config ${configDigest} of ${repo}`);
    let doc: { created?: unknown };
    try {
      doc = JSON.parse(res.body.toString('utf8')) as typeof doc;
    } catch (err) {
      throw new InvalidReferenceError(`config blob ${configDigest} of ${repo} is not JSON`, { cause: err });
    }
    if (typeof doc.created !== 'string') return undefined;
    const t = Date.parse(doc.created);
    return Number.isFinite(t) ? new Date(t) : undefined;
  }

  /** Deletes a manifest by digest (which untags every tag on it); false when it was already gone. */
  async deleteManifest(repo: string, digest: string): Promise<boolean> {
    const res = await this.http.send('DELETE', `/v2/${repo}/manifests/${digest}`);
    if (res.status === 404) return false;
    if (res.status === 202 || res.status === 200) return true;
    throw describeFailure(res, `delete manifest ${repo}@${digest}`);
  }

  /**
   * Whether the registry refuses writes: a blob upload start answers 405 in distribution's read-only
   * maintenance mode. `unknown` when this identity may not push at all (registry-auth answers 401/403
   * before the registry sees the request); then the pods' own configuration is the evidence.
   */
  async writeProbe(repo: string): Promise<'refused' | 'accepted' | 'unknown'> {
    const res = await this.http.send('POST', `/v2/${repo}/blobs/uploads/`);
    if (res.status === 202) {
      // Do not leave the started upload behind.
      const location = res.headers['location'];
      if (typeof location === 'string') await this.http.send('DELETE', location).catch(() => undefined);
      return 'accepted';
    }
    if (res.status === 405) return 'refused';
    return res.status === 401 || res.status === 403 ? 'unknown' : 'accepted';
  }

  private async paged(first: string, field: 'repositories' | 'tags', what: string, absent: number[] = []): Promise<string[]> {
    const out: string[] = [];
    let next: string | undefined = first;
    while (next) {
      const res: HttpResponse = await this.http.send('GET', next, { accept: 'application/json' });
      if (absent.includes(res.status)) return out;
      expectOk(res, what);
      let doc: Record<string, unknown>;
      try {
        doc = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
      } catch (err) {
        throw new RegistryHttpError(`${what}: the registry answered with something that is not JSON`, res.status, { cause: err });
      }
      const items = doc[field];
      if (Array.isArray(items)) for (const item of items) if (typeof item === 'string') out.push(item);
      next = nextLink(res.headers['link']);
    }
    return out;
  }
}

/** The `rel="next"` target of a Link header (`</v2/_catalog?last=x&n=100>; rel="next"`). */
export function nextLink(link: string | string[] | undefined): string | undefined {
  const text = Array.isArray(link) ? link.join(', ') : link;
  if (!text) return undefined;
  const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(text);
  return m?.[1];
}

function expectOk(res: HttpResponse, what: string): void {
  if (res.status >= 200 && res.status < 300) return;
  throw describeFailure(res, what);
}

/** An error with the registry's own error code and message (never a header: they may carry tokens). */
function describeFailure(res: HttpResponse, what: string): RegistryHttpError {
  let detail = '';
  try {
    const doc = JSON.parse(res.body.toString('utf8')) as { errors?: { code?: string; message?: string }[] };
    detail = (doc.errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
  } catch {
    detail = '';
  }
  const hint =
    res.status === 401 || res.status === 403
      ? ' (the pruner ServiceAccount needs delete on images.image.openshift.io: check ClusterRole system:image-pruner and its binding)'
      : res.status === 405 && what.startsWith('delete')
        ? ' (the registry must run with REGISTRY_STORAGE_DELETE_ENABLED=true)'
        : '';
  return new RegistryHttpError(`${what}: HTTP ${res.status}${detail ? ` ${detail}` : ''}${hint}`, res.status);
}
