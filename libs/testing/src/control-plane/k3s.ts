import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a container engine exists (`IRO_TEST_CLUSTER=k3s`), k3s in a container instead of the
 * local binaries. The project's own machines have no engine, so this path is kept this small.
 */
export async function startK3s(image = process.env['IRO_K3S_IMAGE'] ?? 'rancher/k3s:v1.36.3-k3s1') {
  const { K3sContainer } = await import('@testcontainers/k3s');
  const container = await new K3sContainer(image).start();
  const kubeconfigPath = join(mkdtempSync(join(tmpdir(), 'iro-k3s-')), 'kubeconfig');
  writeFileSync(kubeconfigPath, container.getKubeConfig(), { mode: 0o600 });
  return { kubeconfigPath, stop: async () => void (await container.stop()) };
}
