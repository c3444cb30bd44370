import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyYaml,
  createServingCertificate,
  kubeRequest,
  parseManifests,
  serviceAccountKubeConfig,
  startRegistry,
  workspaceRoot,
  writeKubeconfigFile,
  type Registry,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { freeLoopbackPort } from './traefik.ts';

export interface RegistryPod {
  /** `127.0.0.1:<port>`: the pod's port 5000 (registry-auth, TLS). */
  address: string;
  port: number;
  /** The serving certificate's CA (what service-ca or registry-workload's self-issued CA would be). */
  caFile: string;
  registry: Registry;
  stop(): Promise<void>;
}

/**
 * The registry pod of the distribution flavour, as processes on loopback: the real registry binary
 * (plain HTTP) behind the real registry-auth app (TLS with a certificate for the Service name,
 * Kubernetes tokens and RBAC), run as ServiceAccount `registry` with registry-auth's shipped RBAC.
 */
export async function startRegistryPod(admin: KubeConfig, namespace: string, listen = { host: '127.0.0.1', port: 0 }): Promise<RegistryPod> {
  await kubeRequest(admin, 'POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, { metadata: { name: 'registry' } });
  const deploy = join(workspaceRoot(), 'deploy/apps/registry-auth');
  const rbac = parseManifests(readFileSync(join(deploy, 'rbac.yaml'), 'utf8').replaceAll('openshift-image-registry', namespace)).map((m) =>
    m.kind === 'ClusterRoleBinding' ? { ...m, metadata: { ...m.metadata, name: `${m.metadata.name}-${namespace}` } } : m,
  );
  const roles = parseManifests(readFileSync(join(deploy, 'image-roles/image-roles.yaml'), 'utf8'));
  await applyYaml(admin, [...rbac, ...roles]);
  const kubeconfig = writeKubeconfigFile(await serviceAccountKubeConfig(admin, namespace, 'registry'));

  const registry = await startRegistry({ env: {} });
  const tls = await createServingCertificate({
    dnsNames: [`image-registry.${namespace}.svc`, 'localhost'],
    ipAddresses: ['127.0.0.1', listen.host],
  });
  const dir = mkdtempSync(join(tmpdir(), 'iro-registry-pod-'));
  writeFileSync(join(dir, 'tls.crt'), tls.cert);
  writeFileSync(join(dir, 'tls.key'), tls.key, { mode: 0o600 });
  writeFileSync(join(dir, 'ca.crt'), tls.caCert);
  const port = listen.port || (await freeLoopbackPort());
  const child = spawn(
    process.execPath,
    [
      join(workspaceRoot(), 'apps/registry-auth/src/main.ts'),
      `--kubeconfig=${kubeconfig}`,
      `--listen-address=${listen.host}:${port}`,
      `--upstream=${registry.url}`,
      `--tls-cert-file=${join(dir, 'tls.crt')}`,
      `--tls-key-file=${join(dir, 'tls.key')}`,
      '--metrics-bind-address=0',
    ],
    { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 60_000;
  while (!out.includes('registry-auth listening')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await registry.stop();
      throw new Error(`registry-auth did not start:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    address: `${listen.host}:${port}`,
    port,
    caFile: join(dir, 'ca.crt'),
    registry,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await registry.stop();
    },
  };
}
