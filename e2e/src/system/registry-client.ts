// A client of the registry's front door (registry-auth, TLS with the certificate registry-workload issued
// for the Service): the distribution HTTP API with a bearer token, enough to push an image and pull it back
// byte for byte. No skopeo here; the requests are the ones a container runtime makes.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

export interface Front {
  /** `127.0.0.1:<port>` of registry-auth. */
  address: string;
  caFile: string;
  /** The Service name the serving certificate carries (`image-registry.<ns>.svc`). */
  serverName: string;
}

export interface Answer {
  status: number;
  location?: string;
  body: Buffer;
}

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const manifestType = 'application/vnd.oci.image.manifest.v1+json';

export function registryRequest(
  front: Front,
  token: string,
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const [host, port] = front.address.split(':');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port: Number(port),
        method,
        path,
        ca: readFileSync(front.caFile),
        servername: front.serverName,
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          ...headers,
          ...(body ? { 'content-length': String(body.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks),
            ...(typeof res.headers.location === 'string' ? { location: res.headers.location } : {}),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function expectStatus(what: string, got: Answer, want: number): void {
  if (got.status !== want)
    throw new Error(`${what}: HTTP ${got.status}, expected ${want}: ${got.body.toString('utf8').slice(0, 300)}`);
}

async function putBlob(front: Front, token: string, repo: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const start = await registryRequest(front, token, 'POST', `/v2/${repo}/blobs/uploads/`);
  expectStatus(`blob upload start in ${repo}`, start, 202);
  const url = new URL(start.location ?? '', `https://${front.address}`);
  url.searchParams.set('digest', digest);
  const put = await registryRequest(front, token, 'PUT', `${url.pathname}${url.search}`, data, {
    'content-type': 'application/octet-stream',
  });
  expectStatus(`blob upload ${digest} to ${repo}`, put, 201);
  return digest;
}

export interface PushedImage {
  repo: string;
  tag: string;
  manifestDigest: string;
  blobDigests: string[];
}

/** Pushes `repo:tag`: one random layer of `layerBytes` and a config, as an OCI manifest. */
export async function pushImage(
  front: Front,
  token: string,
  repo: string,
  tag: string,
  layerBytes = 64 * 1024,
): Promise<PushedImage> {
  const layer = randomBytes(layerBytes);
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] } }),
  );
  const layerDigest = await putBlob(front, token, repo, layer);
  const configDigest = await putBlob(front, token, repo, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: manifestType,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
    }),
  );
  const res = await registryRequest(front, token, 'PUT', `/v2/${repo}/manifests/${tag}`, manifest, {
    'content-type': manifestType,
  });
  expectStatus(`manifest ${repo}:${tag}`, res, 201);
  return { repo, tag, manifestDigest: sha256(manifest), blobDigests: [configDigest, layerDigest] };
}

/**
 * Pulls `repo:tag` as a runtime does (manifest, then every blob it names) and returns the digests of
 * what came back, each computed from the bytes, so a caller compares them with what it pushed.
 */
export async function pullImage(
  front: Front,
  token: string,
  repo: string,
  tag: string,
): Promise<{ manifestDigest: string; blobDigests: string[] }> {
  const m = await registryRequest(front, token, 'GET', `/v2/${repo}/manifests/${tag}`, undefined, {
    accept: manifestType,
  });
  expectStatus(`pull manifest ${repo}:${tag}`, m, 200);
  const manifest = JSON.parse(m.body.toString('utf8')) as {
    config: { digest: string };
    layers: { digest: string }[];
  };
  const blobDigests: string[] = [];
  for (const d of [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
    const b = await registryRequest(front, token, 'GET', `/v2/${repo}/blobs/${d}`);
    expectStatus(`pull blob ${d} of ${repo}`, b, 200);
    blobDigests.push(sha256(b.body));
  }
  return { manifestDigest: sha256(m.body), blobDigests };
}
