import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { loadKubeConfig } from './control-plane/kubeconfig.ts';
import { kubeRequest, KubeRequestError } from './kube/request.ts';

let shared: KubeConfig | undefined;

/** The admin (system:masters) kubeconfig of the run's shared control plane, inside integration tests. */
export function testKubeConfig(): KubeConfig {
  shared ??= loadKubeConfig(testKubeconfigPath());
  return shared;
}

export function testKubeconfigPath(): string {
  const path = inject('kubeconfigPath');
  if (!path) throw new Error('no control plane: integration tests run in the vitest "integration" project');
  return path;
}

/** A fresh namespace for one test, returned once its `default` ServiceAccount exists. */
export async function createTestNamespace(kc: KubeConfig, prefix = 'test'): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`.slice(0, 63);
  await kubeRequest(kc, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await kubeRequest(kc, 'GET', `/api/v1/namespaces/${name}/serviceaccounts/default`);
      return name;
    } catch (err) {
      if (!(err instanceof KubeRequestError) || err.status !== 404 || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
