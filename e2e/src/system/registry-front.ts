// The data path of a local run: the CNCF registry binary on a folder (what an emptyDir pod would hold) and
// registry-auth in front of it as its own process, authenticated as the registry pod's ServiceAccount with
// the TLS certificate registry-workload issued for the Service — as the pod runs it, minus the pod.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { defaultRegistryConfig, freePort, kubeRequest } from '@image-registry/testing';
import { serviceAccountKubeconfigFile, startApp, type AppProcess } from './app-processes.ts';

export interface RegistryFront {
  auth: AppProcess;
  /** `127.0.0.1:<port>`: registry-auth's TLS front door. */
  address: string;
  caFile: string;
  stop(): void;
}

/** The registry binary from tools/emulators/build.sh (cached: a no-op after the first build). */
function registryBinary(root: string): string {
  const out = execFileSync('bash', [join(root, 'tools/emulators/build.sh'), 'registry'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = out.split('\n').find((l) => l.startsWith('registry='));
  if (!line) throw new Error('tools/emulators/build.sh registry printed no registry=<path> line');
  return line.slice('registry='.length);
}

async function waitFor<T>(what: string, get: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await get();
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`${what} did not appear in ${timeoutMs / 1000} s; see the registry-workload log`, {
          cause: err,
        });
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

export async function startRegistryFront(o: {
  admin: KubeConfig;
  root: string;
  namespace: string;
  dir: string;
  metricsPort: number;
}): Promise<RegistryFront> {
  mkdirSync(o.dir, { recursive: true });
  const bin = registryBinary(o.root);
  const upstreamPort = await freePort();
  const config = join(o.dir, 'config.yml');
  writeFileSync(config, defaultRegistryConfig(join(o.dir, 'storage')));
  const logFd = openSync(join(o.dir, 'registry.log'), 'w');
  const registry = spawn(bin, ['serve', config], {
    stdio: ['ignore', logFd, logFd],
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: o.dir,
      OTEL_TRACES_EXPORTER: 'none',
      REGISTRY_HTTP_ADDR: `127.0.0.1:${upstreamPort}`,
    },
  });

  // registry-workload creates both; registry-auth is the pod's front door, so it waits for them like the pod.
  try {
    await waitFor('ServiceAccount registry', () =>
      kubeRequest(o.admin, 'GET', `/api/v1/namespaces/${o.namespace}/serviceaccounts/registry`),
    );
    const tls = await waitFor('Secret image-registry-tls', () =>
      kubeRequest<{ data: Record<string, string> }>(
        o.admin,
        'GET',
        `/api/v1/namespaces/${o.namespace}/secrets/image-registry-tls`,
      ),
    );
    const ca = await waitFor('ConfigMap serviceca', () =>
      kubeRequest<{ data?: Record<string, string> }>(
        o.admin,
        'GET',
        `/api/v1/namespaces/${o.namespace}/configmaps/serviceca`,
      ),
    );
    return await startAuth(o, { tls, ca, upstreamPort, stopRegistry: () => registry.kill('SIGTERM') });
  } catch (err) {
    registry.kill('SIGKILL');
    throw err;
  }
}

async function startAuth(
  o: { admin: KubeConfig; root: string; namespace: string; dir: string; metricsPort: number },
  s: {
    tls: { data: Record<string, string> };
    ca: { data?: Record<string, string> };
    upstreamPort: number;
    stopRegistry: () => void;
  },
): Promise<RegistryFront> {
  const { tls, ca, upstreamPort } = s;
  const file = (name: string, b64: string | undefined) => {
    const path = join(o.dir, name);
    writeFileSync(path, Buffer.from(b64 ?? '', 'base64'), { mode: 0o600 });
    return path;
  };
  const cert = file('tls.crt', tls.data['tls.crt']);
  const key = file('tls.key', tls.data['tls.key']);
  const caFile = join(o.dir, 'service-ca.crt');
  writeFileSync(caFile, ca.data?.['service-ca.crt'] ?? '');

  const port = await freePort();
  const kubeconfig = await serviceAccountKubeconfigFile(o.admin, o.namespace, 'registry');
  const auth = startApp({
    root: o.root,
    app: 'registry-auth',
    kubeconfig,
    logDir: join(o.dir, '..'),
    metricsPort: o.metricsPort,
    args: [
      `--listen-address=127.0.0.1:${port}`,
      `--upstream=http://127.0.0.1:${upstreamPort}`,
      `--tls-cert-file=${cert}`,
      `--tls-key-file=${key}`,
    ],
  });
  return {
    auth,
    address: `127.0.0.1:${port}`,
    caFile,
    stop: () => {
      auth.child.kill('SIGTERM');
      s.stopRegistry();
    },
  };
}
