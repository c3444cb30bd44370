// Child of the teardown test: starts a control plane with the real node and one pod on it, prints its run
// folder as one JSON line, then waits to be SIGKILLed (so only the reapers can clean up).
import { applyYaml, kubeRequest, realNodePlacement, startControlPlane, type BuiltImage } from '@image-registry/testing';

const given = JSON.parse(process.env['IRO_REAL_NODE_IMAGES'] ?? '{}') as Record<string, Omit<BuiltImage, 'name' | 'built'>>;
const images = new Map(Object.entries(given).map(([name, i]) => [name, { name, ...i, built: false }]));
const cp = await startControlPlane({ nodes: 1, realNode: { images } });
const h = cp.realNode?.handle;
if (!h) throw new Error('no real node');
await applyYaml(cp.kubeConfig, {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'resident', namespace: 'default' },
  spec: { ...realNodePlacement(h), containers: [{ name: 'serve', image: h.images['test-client'], args: ['serve'] }] },
});
for (;;) {
  const pod = await kubeRequest<{ status?: { phase?: string } }>(cp.kubeConfig, 'GET', '/api/v1/namespaces/default/pods/resident');
  if (pod.status?.phase === 'Running') break;
  await new Promise((r) => setTimeout(r, 500));
}
console.log(JSON.stringify({ runDir: h.runDir, controlPlaneRunDir: cp.runDir }));
setInterval(() => undefined, 1 << 30);
