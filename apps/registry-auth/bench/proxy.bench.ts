// Prints what registry-auth costs; never asserts. The same image on the same storage, served by the
// registry alone (TLS, as before registry-auth) and through the proxy (TLS at the proxy, the registry on
// loopback): skopeo pull throughput, per-request latency with a warm review cache, and the cache hit
// rate. BENCH_RUNS (default 20) and BENCH_LAYER_MB (default 20; 5 layers) size it.
import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestNamespace, skopeoCopy, startControlPlane, startRegistry } from '@image-registry/testing';
import { createLayeredImage } from '../test/layered-image.ts';
import { basic, bindRole, serviceAccountToken, startStack } from '../test/support.ts';

const runs = Number(process.env['BENCH_RUNS'] ?? 20);
const layerMb = Number(process.env['BENCH_LAYER_MB'] ?? 20);
const layers = 5;

const cp = await startControlPlane({ nodes: 1 });
const work = mkdtempSync(join(tmpdir(), 'iro-auth-bench-'));
const root = join(work, 'storage');
const storageEnv = { REGISTRY_STORAGE: 'filesystem', REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: root };
const stack = await startStack(cp.kubeConfig, { registryEnv: storageEnv });
// The registry alone, as it ran before registry-auth: TLS itself, same certificate, same storage.
const alone = await startRegistry({
  env: { ...storageEnv, REGISTRY_HTTP_TLS_CERTIFICATE: stack.certFile, REGISTRY_HTTP_TLS_KEY: stack.keyFile },
});
try {
  const ns = await createTestNamespace(cp.kubeConfig, 'bench');
  await bindRole(cp.kubeConfig, ns, 'system:image-pusher', { kind: 'ServiceAccount', namespace: ns, name: 'default' });
  const token = await serviceAccountToken(cp.kubeConfig, ns);
  const image = createLayeredImage(join(work, 'image'), { tag: 'v1', layers, layerBytes: layerMb * 1024 * 1024 });
  await skopeoCopy(image.ref, `docker://${alone.address}/${ns}/app:v1`, { caCertDir: stack.caCertDir, timeoutMs: 300_000 });

  const pull = async (via: 'alone' | 'proxy'): Promise<number> => {
    const dest = join(work, `pull-${via}`);
    const address = via === 'alone' ? alone.address : stack.address;
    const t0 = performance.now();
    await skopeoCopy(`docker://${address}/${ns}/app:v1`, `oci:${dest}:v1`, {
      caCertDir: stack.caCertDir,
      timeoutMs: 300_000,
      ...(via === 'proxy' ? { creds: { src: `<token>:${token}` } } : {}),
    });
    const ms = performance.now() - t0;
    rmSync(dest, { recursive: true, force: true });
    return ms;
  };
  await pull('alone');
  await pull('proxy');
  const times = { alone: [] as number[], proxy: [] as number[] };
  let proxyCpuMs = 0;
  for (let i = 0; i < runs; i++) {
    // Interleaved, so drift on a shared machine hits both sides alike.
    times.alone.push(await pull('alone'));
    // The proxy runs in this process, which otherwise only waits for skopeo: its CPU time is the proxy's.
    const c0 = process.cpuUsage();
    times.proxy.push(await pull('proxy'));
    const c = process.cpuUsage(c0);
    proxyCpuMs += (c.user + c.system) / 1000;
  }
  const mb = (layers * layerMb * 1024 * 1024) / 1e6;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const throughput = (xs: number[]) => mb / (median(xs) / 1000);

  // Per-request latency: sequential HEADs of the manifest on a keep-alive connection, cache warm.
  const head = (port: number, headers: Record<string, string>, agent: https.Agent) =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const req = https.request(
        { host: '127.0.0.1', port, method: 'HEAD', path: `/v2/${ns}/app/manifests/v1`, headers: { accept: 'application/vnd.oci.image.manifest.v1+json', ...headers }, ca: stack.caCert, agent },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HEAD answered ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end();
    });
  const latencies = async (port: number, headers: Record<string, string>) => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 50; i++) await head(port, headers, agent);
    const xs: number[] = [];
    for (let i = 0; i < 1000; i++) xs.push(await head(port, headers, agent));
    agent.destroy();
    return xs.sort((a, b) => a - b);
  };
  const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
  const aloneLat = await latencies(Number(alone.address.split(':')[1]), {});
  const proxyLat = await latencies(stack.auth.address.port, { authorization: basic(token) });

  const metrics = await stack.auth.registry.getMetricsAsJSON();
  const lookups = metrics.find((m) => m.name === 'registry_auth_review_cache_lookups_total');
  const count = (result: string) =>
    (lookups?.values ?? []).filter((v) => v.labels['result'] === result).reduce((n, v) => n + v.value, 0);
  const hits = count('hit');
  const misses = count('miss');

  const f = (n: number) => n.toFixed(2);
  console.log(`image: ${layers} layers of ${layerMb} MB; ${runs} interleaved skopeo pulls each way`);
  console.log(`pull throughput, registry alone (TLS):   ${f(throughput(times.alone))} MB/s (median ${f(median(times.alone))} ms)`);
  console.log(`pull throughput, through registry-auth:  ${f(throughput(times.proxy))} MB/s (median ${f(median(times.proxy))} ms)`);
  console.log(`through registry-auth / alone:           ${((throughput(times.proxy) / throughput(times.alone)) * 100).toFixed(1)} %`);
  console.log(`registry-auth CPU per pulled MB:         ${f(proxyCpuMs / (mb * runs))} ms (user+system of its process)`);
  console.log(`load average during the run:             ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
  console.log(`HEAD manifest latency alone:  p50 ${f(pct(aloneLat, 50))} ms, p99 ${f(pct(aloneLat, 99))} ms (1000 requests, keep-alive)`);
  console.log(`HEAD manifest latency proxy:  p50 ${f(pct(proxyLat, 50))} ms, p99 ${f(pct(proxyLat, 99))} ms (warm review cache)`);
  console.log(`added by registry-auth:       p50 ${f(pct(proxyLat, 50) - pct(aloneLat, 50))} ms, p99 ${f(pct(proxyLat, 99) - pct(aloneLat, 99))} ms`);
  console.log(`review cache: ${hits} hits, ${misses} misses, hit rate ${((hits / Math.max(1, hits + misses)) * 100).toFixed(2)} %`);
} finally {
  await alone.stop();
  await stack.stop();
  await cp.stop();
  rmSync(work, { recursive: true, force: true });
}
