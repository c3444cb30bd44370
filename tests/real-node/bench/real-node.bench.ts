// Real-node figures (printed, never asserted): image builds cold and warm, real node start to Ready,
// a registry pod from creation to Ready, and a 50 MiB push and pull from pods on the node.
//   npx nx run @image-registry/real-node-tests:bench   (root; the Debian packages the bootstrap installs)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyYaml, buildImages, kubeRequest, realNodePlacement, realNodeUnavailableReason, startControlPlane, type RealNodeHandle } from '@image-registry/testing';

const reason = realNodeUnavailableReason();
if (reason) {
  console.log(`real-node bench not run: ${reason}`);
  process.exit(0);
}
const figures: [string, string][] = [];
const ms = (n: number) => `${(n / 1000).toFixed(1)} s`;

const cold = mkdtempSync(join(tmpdir(), 'iro-images-bench-'));
let t = Date.now();
await buildImages({ bundle: false, cacheDir: cold });
figures.push(['image build, cold (layers and archives; bundles and Go binaries cached)', ms(Date.now() - t)]);
t = Date.now();
await buildImages({ bundle: false, cacheDir: cold });
figures.push(['image build, warm (content unchanged)', ms(Date.now() - t)]);
rmSync(cold, { recursive: true, force: true });
const images = await buildImages({ bundle: false });

const cp = await startControlPlane({ nodes: 1, realNode: { images } });
try {
  const node = cp.realNode;
  if (!node) throw new Error('no real node');
  const h = node.handle;
  figures.push(['real node start → Ready (namespaces, containerd, image import, kubelet, kube-proxy)', ms(node.timings.readyMs)]);
  figures.push(['  of which: importing every image into containerd', ms(node.timings.importMs)]);
  const kc = cp.kubeConfig;
  const waitPod = async (name: string, done: (p: PodStatus) => boolean) => {
    for (;;) {
      const p = await kubeRequest<PodStatus>(kc, 'GET', `/api/v1/namespaces/default/pods/${name}`);
      if (done(p)) return p;
      if (p.status?.phase === 'Failed') throw new Error(`pod ${name} failed: ${JSON.stringify(p.status)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  t = Date.now();
  await applyYaml(kc, registryPod(h));
  await applyYaml(kc, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bench-registry', namespace: 'default' }, spec: { selector: { app: 'bench-registry' }, ports: [{ port: 5000 }] } });
  await waitPod('bench-registry', (p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
  figures.push(['registry pod created → Ready (plain distribution, emptyDir)', ms(Date.now() - t)]);
  const svc = await kubeRequest<{ spec: { clusterIP: string } }>(kc, 'GET', '/api/v1/namespaces/default/services/bench-registry');
  const ref = `${svc.spec.clusterIP}:5000/bench/big:v1`;
  for (const [name, args] of [
    ['bench-push', ['push', '--insecure', '--ref', ref, '--pad-mb', '50']],
    ['bench-pull', ['pull', '--insecure', '--ref', ref]],
  ] as const) {
    await applyYaml(kc, clientPod(h, name, [...args]));
    await waitPod(name, (p) => p.status?.phase === 'Succeeded');
    const out = await kubeRequest<unknown>(kc, 'GET', `/api/v1/namespaces/default/pods/${name}/log`);
    const r = (typeof out === 'string' ? JSON.parse(out.trim().split('\n').at(-1) ?? '{}') : out) as { bytes: number; ms: number };
    figures.push([`${name.slice(6)} of a ${(r.bytes / 2 ** 20).toFixed(0)} MiB image from a pod (client's own timing)`, ms(r.ms)]);
  }
  figures.push(['guard packets (must be 0)', String(await node.guardPackets())]);
} finally {
  await cp.stop();
}
for (const [k, v] of figures) console.log(`${k.padEnd(90)} ${v}`);

interface PodStatus {
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

function registryPod(h: RealNodeHandle) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'bench-registry', namespace: 'default', labels: { app: 'bench-registry' } },
    spec: {
      ...realNodePlacement(h),
      containers: [
        {
          name: 'registry',
          image: h.images['registry'],
          env: [{ name: 'REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY', value: '/registry' }],
          readinessProbe: { httpGet: { path: '/', port: 5000 }, periodSeconds: 1 },
          volumeMounts: [{ name: 'data', mountPath: '/registry' }],
        },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
  };
}

function clientPod(h: RealNodeHandle, name: string, args: string[]) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { ...realNodePlacement(h), restartPolicy: 'Never', automountServiceAccountToken: false, containers: [{ name: 'client', image: h.images['test-client'], args }] },
  };
}
