import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { expect } from 'vitest';
import {
  applyYaml,
  kubeRequest,
  parseManifests,
  serviceAccountKubeConfig,
  startRegistry,
  workspaceRoot,
  writeKubeconfigFile,
  type Manifest,
  type Registry,
} from '@image-registry/testing';
import { distributionCommand } from '../src/render/deployment.ts';
import { materialize, type DeploymentSpec } from './materialize.ts';

export interface FrontedPod {
  registry: Registry;
  /** `127.0.0.1:<port>` where registry-auth serves TLS, as port 5000 of the pod. */
  address: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** registry-auth's shipped RBAC for ServiceAccount `registry` in `namespace`, one binding per namespace. */
function registryAuthRbac(namespace: string): Manifest[] {
  const text = readFileSync(join(workspaceRoot(), 'deploy/apps/registry-auth/rbac.yaml'), 'utf8');
  return parseManifests(text.replaceAll('openshift-image-registry', namespace)).map((m) =>
    m.kind === 'ClusterRoleBinding' ? { ...m, metadata: { ...m.metadata, name: `${m.metadata.name}-${namespace}` } } : m,
  );
}

/**
 * Both containers of the rendered distribution pod, as the kubelet would run them: the real registry
 * binary with the `registry` container's environment (loopback, no TLS), and registry-auth (the process
 * its image runs) with the `registry-auth` container's environment, as ServiceAccount `registry` with the
 * shipped RBAC. Only addresses move to free loopback ports.
 */
export async function startFrontedPod(kc: KubeConfig, namespace: string, deployment: DeploymentSpec, root: string): Promise<FrontedPod> {
  const registryPod = await materialize(kc, namespace, deployment, root, 'registry');
  expect(registryPod.command).toEqual(distributionCommand);
  expect(registryPod.env['REGISTRY_HTTP_ADDR']).toMatch(/^127\.0\.0\.1:/);
  const registry = await startRegistry({ env: registryPod.env });
  const proxyPod = await materialize(kc, namespace, deployment, root, 'registry-auth');
  const rbac = registryAuthRbac(namespace);
  await applyYaml(kc, rbac);
  const kubeconfig = writeKubeconfigFile(await serviceAccountKubeConfig(kc, namespace, 'registry'));
  const port = await freePort();
  const main = join(workspaceRoot(), 'apps/registry-auth/src/main.ts');
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      ...proxyPod.env,
      IRO_LISTEN_ADDRESS: `127.0.0.1:${port}`,
      IRO_UPSTREAM: registry.url,
      IRO_METRICS_BIND_ADDRESS: '0',
      // No endpoints to drop here: stop at once.
      IRO_SHUTDOWN_DELAY: '0s',
      KUBECONFIG: kubeconfig,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  await expect.poll(() => (child.exitCode === null ? output : `exited ${child.exitCode}: ${output}`), { timeout: 60_000 }).toContain('registry-auth listening');
  return {
    registry,
    address: `127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await registry.stop();
      const binding = rbac.find((m) => m.kind === 'ClusterRoleBinding')?.metadata.name ?? '';
      await kubeRequest(kc, 'DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${encodeURIComponent(binding)}`).catch(() => undefined);
    },
  };
}
