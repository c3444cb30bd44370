import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import {
  installCrds,
  kubeRequest,
  startControlPlane,
  workspaceRoot,
  type BuiltImage,
  type ControlPlane,
  type RealNode,
  type RealNodeHandle,
} from '@image-registry/testing';

/** Why these tests do not run here (shown in their names), or '' when they do. */
export const skipReason = inject('realNodeSkip');

export interface Cluster {
  cp: ControlPlane;
  node: RealNode;
  h: RealNodeHandle;
  kc: KubeConfig;
}

/**
 * A control plane with one kwok node and the real node holding the images named (the pause image always):
 * importing is most of a node's start, so each file imports only what it runs.
 */
export async function startCluster(names: string[]): Promise<Cluster> {
  const wanted = new Set(['pause', ...names]);
  const images = new Map<string, BuiltImage>(
    Object.entries(inject('realNodeImages'))
      .filter(([name]) => wanted.has(name))
      .map(([name, i]) => [name, { name, ...i, built: false }]),
  );
  const cp = await startControlPlane({ nodes: 1, realNode: { images } });
  if (!cp.realNode) throw new Error('startControlPlane returned no real node');
  await installCrds(cp.kubeConfig, join(workspaceRoot(), 'deploy/crds'));
  return { cp, node: cp.realNode, h: cp.realNode.handle, kc: cp.kubeConfig };
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

export interface AppProcess {
  child: ChildProcess;
  log: string;
  stop(): Promise<void>;
}

/** Runs apps/<app> as a plain process against the cluster, as `npm start` does. */
export async function startApp(cluster: Cluster, app: string, args: string[]): Promise<AppProcess> {
  const dir = join(cluster.cp.runDir, 'apps');
  mkdirSync(dir, { recursive: true });
  const log = join(dir, `${app}.log`);
  const fd = openSync(log, 'a');
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [join(workspaceRoot(), 'apps', app, 'src/main.ts'), `--kubeconfig=${cluster.cp.kubeconfigPath}`, '--leader-elect=false', `--metrics-bind-address=127.0.0.1:${port}`, ...args],
    { stdio: ['ignore', fd, fd] },
  );
  closeSync(fd);
  return {
    child,
    log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function tailOf(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export interface Pod {
  metadata: { name: string; namespace: string };
  spec: { nodeName?: string };
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: {
      name: string;
      ready: boolean;
      imageID?: string;
      state?: { waiting?: { reason?: string; message?: string }; running?: object; terminated?: { exitCode: number } };
    }[];
  };
}

export function isReady(pod: Pod | undefined): boolean {
  return pod?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function getPod(kc: KubeConfig, ns: string, name: string): Promise<Pod> {
  return kubeRequest<Pod>(kc, 'GET', `/api/v1/namespaces/${ns}/pods/${name}`);
}

export async function podLog(kc: KubeConfig, ns: string, name: string): Promise<string> {
  // The request helper parses a body that is JSON (one JSON line, as the test client prints): undo that.
  const body = await kubeRequest<unknown>(kc, 'GET', `/api/v1/namespaces/${ns}/pods/${name}/log`);
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** One line per container: where it is and why, for assertion messages. */
export function describePod(pod: Pod | undefined): string {
  if (!pod) return '(no pod)';
  return `${pod.metadata.namespace}/${pod.metadata.name} on ${pod.spec.nodeName ?? '-'} ${pod.status?.phase ?? ''}: ${JSON.stringify(
    pod.status?.containerStatuses?.map((c) => ({ name: c.name, ready: c.ready, state: c.state })) ?? [],
  )}`;
}
