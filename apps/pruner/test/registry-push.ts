import { createHash } from 'node:crypto';
import { request } from 'node:http';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** One plain-HTTP request to a bare registry; the body is drained. */
export function http(url: string, method: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ...(typeof res.headers.location === 'string' ? { location: res.headers.location } : {}) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A monolithic blob upload (POST, then PUT with the digest), as the distribution API defines it. */
export async function putBlob(base: string, repo: string, data: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha(data);
  const start = await http(`${base}/v2/${repo}/blobs/uploads/`, 'POST');
  if (start.status !== 202 || !start.location) throw new Error(`upload start ${repo}: HTTP ${start.status}`);
  const url = new URL(start.location, base);
  url.searchParams.set('digest', digest);
  const put = await http(url.toString(), 'PUT', data, { 'content-type': 'application/octet-stream' });
  if (put.status !== 201) throw new Error(`upload ${repo}: HTTP ${put.status}`);
  return { digest, size: data.length };
}

/** Pushes `repo:tag` with one layer and a config (`config` bytes as given, JSON or not). */
export async function pushImage(base: string, repo: string, tag: string, layer: Buffer, config: Buffer): Promise<string> {
  const l = await putBlob(base, repo, layer);
  const c = await putBlob(base, repo, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...c },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...l }],
    }),
  );
  const res = await http(`${base}/v2/${repo}/manifests/${tag}`, 'PUT', manifest, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
  if (res.status !== 201) throw new Error(`manifest ${repo}:${tag}: HTTP ${res.status}`);
  return sha(manifest);
}

export function configCreated(created: Date): Buffer {
  return Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: created.toISOString(), rootfs: { type: 'layers', diff_ids: [] } }));
}
