import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import { kubeRequest } from '../kube/request.ts';
import { stopComponent, tail, type Component } from '../control-plane/processes.ts';
import { pidsInPidNamespaceOf, waitForPidsGone } from './settle.ts';
import { workspaceRoot } from '../workspace.ts';
import { createNodeCgroups } from './cgroups.ts';
import { startNodeReaper, writeCleanupScript } from './cleanup.ts';
import { cniConflist, containerdToml, kubeletArgs, kubeletConfigYaml, kubeProxyArgs } from './config.ts';
import { guardPackets, installGuard } from './guard.ts';
import { buildImages, type BuiltImage } from './images/build.ts';
import { goBinaries } from './images/inputs.ts';
import { mergeOciArchives } from './images/merge.ts';
import { layout, nodePaths, type NodePaths } from './layout.ts';
import { execInNode, type RealNodeHandle } from './handle.ts';
import { connectNamespace, createNamespace, forget, RealNodeError, sh, type NodeNamespace } from './namespace.ts';
import { realNodeUnavailableReason } from './preflight.ts';
import { relayToLoopback } from './forward.ts';

/** Where real-node run folders live (apart from the control plane's, whose sweeper only deletes). */
export const realNodeRunsRoot = join(tmpdir(), 'image-registry-operator-real-node');

export interface RealNodeOptions {
  kubeConfig: KubeConfig;
  kubeconfigPath: string;
  /** The API server's port on 127.0.0.1; the node reaches it through a relay on the veth. */
  apiPort: number;
  /** The control-plane folder holding the multi-call `kube` binary. */
  binDir: string;
  /** Images to import (default: every image, built or taken from the cache). */
  images?: Map<string, BuiltImage>;
  timeoutMs?: number;
  keepRunDir?: boolean;
}

export interface RealNode {
  /** Plain data for tests (see handle.ts: execInNode, trustRegistry, mapNodeHosts, realNodePlacement). */
  handle: RealNodeHandle;
  images: Map<string, BuiltImage>;
  /** Packets the host guard rejected: zero as long as nothing left for a cluster range off the machine. */
  guardPackets(): Promise<number>;
  /** The run folder and the last lines of the namespace, containerd, kubelet and kube-proxy logs. */
  logs(): string;
  /** From the call to Node Ready with kube-proxy's rules in place; and the image import alone. */
  timings: { readyMs: number; importMs: number };
  pids(): Record<string, number>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Cleans up after real nodes whose owner died without a reaper; refuses when one is still running. */
async function sweepStaleNodes(): Promise<void> {
  if (!existsSync(realNodeRunsRoot)) return;
  for (const name of readdirSync(realNodeRunsRoot)) {
    const dir = join(realNodeRunsRoot, name);
    const owner = Number(existsSync(join(dir, 'owner')) ? readFileSync(join(dir, 'owner'), 'utf8') : 0);
    if (owner > 0 && alive(owner)) {
      throw new RealNodeError(`a real node already runs on this machine (owner pid ${owner}, ${dir}); one per machine`);
    }
    if (existsSync(join(dir, 'cleanup.sh'))) await sh('bash', [join(dir, 'cleanup.sh')]);
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnIn(paths: NodePaths, ns: NodeNamespace, name: string, argv: string[]): Component {
  const logFile = join(paths.runDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const [cmd, ...args] = [...ns.enter(), 'env', `TMPDIR=${paths.tmp}`, ...argv];
  const child: ChildProcess = spawn(cmd as string, args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) throw new RealNodeError(`could not start ${name}`);
  appendFileSync(join(paths.runDir, 'pgids'), `${child.pid}\n`);
  child.unref();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, logFile, exited };
}

/** A kubeconfig like the admin one, pointed at the relay on the veth (the serving cert names `kubernetes`). */
function nodeKubeconfig(adminPath: string, apiPort: number): string {
  const kc = parse(readFileSync(adminPath, 'utf8')) as { clusters: { cluster: Record<string, string> }[] };
  for (const c of kc.clusters) {
    c.cluster['server'] = `https://${layout.hostAddress}:${apiPort}`;
    c.cluster['tls-server-name'] = 'kubernetes';
  }
  return stringify(kc);
}

/**
 * Starts one real node beside the kwok nodes: containerd, kubelet and kube-proxy from the control-plane
 * build, in network, mount and PID namespaces of their own with no route off the machine; pods get
 * addresses of 10.123.0.0/24 on a bridge inside. See docs/adr/0007-images.md and the README.
 */
export async function startRealNode(options: RealNodeOptions): Promise<RealNode> {
  const timeoutMs = options.timeoutMs ?? 180_000;
  const unavailable = realNodeUnavailableReason();
  if (unavailable) throw new RealNodeError(`cannot start a real node: ${unavailable}`);
  await sweepStaleNodes();
  const images = options.images ?? (await buildImages());
  const go = await goBinaries(workspaceRoot());
  const t0 = Date.now();
  mkdirSync(realNodeRunsRoot, { recursive: true });
  const runDir = join(realNodeRunsRoot, `${Date.now()}-${process.pid}`);
  mkdirSync(runDir);
  writeFileSync(join(runDir, 'owner'), String(process.pid));
  const paths = nodePaths(runDir);
  writeCleanupScript(paths, { removeRunDir: !options.keepRunDir });
  const reaper = startNodeReaper(paths);
  const components = new Map<string, Component>();
  let relay: Server | undefined;
  const kc = options.kubeConfig;
  const logs = () =>
    `real node run folder: ${runDir}\n` +
    ['namespace', 'containerd', 'kubelet', 'kube-proxy'].map((n) => `--- ${n}\n${tail(join(runDir, `${n}.log`))}`).join('\n');
  const until = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        if (await check()) return;
      } catch (err) {
        last = err;
      }
      await sleep(250);
    }
    throw new RealNodeError(`${what} within ${timeoutMs} ms (last error: ${String(last)})\n${logs()}`);
  };
  const image = (name: string) => {
    const img = images.get(name);
    if (!img) throw new RealNodeError(`no image named ${name}; built: ${[...images.keys()].join(', ')}`);
    return img.ref;
  };

  let ns: NodeNamespace | undefined;
  const stopAll = async () => {
    const nodePids = [
      ...(ns ? pidsInPidNamespaceOf(ns.pid) : []),
      ...[...components.values()].flatMap((c) => (c.child.pid ? [c.child.pid] : [])),
    ];
    for (const name of ['kube-proxy', 'kubelet', 'containerd']) {
      const c = components.get(name);
      if (c) await stopComponent(c, 5_000);
    }
    relay?.close();
    await sh('bash', [paths.cleanupScript]);
    reaper.kill('SIGKILL');
    // stop() promises a clean host: return only once every killed process has been reaped.
    await waitForPidsGone(nodePids, 30_000);
  };
  try {
    for (const d of [paths.tmp, paths.cniConf, paths.cniIpam, paths.podLogs, paths.staticPods, join(runDir, 'bin')]) {
      mkdirSync(d, { recursive: true });
    }
    createNodeCgroups();
    await installGuard();
    ns = await createNamespace(paths, go.pause, timeoutMs);
    await connectNamespace(ns);
    relay = await relayToLoopback(layout.hostAddress, options.apiPort);

    writeFileSync(paths.kubeconfig, nodeKubeconfig(options.kubeconfigPath, options.apiPort), { mode: 0o600 });
    writeFileSync(paths.containerdConfig, containerdToml(paths, image('pause')));
    writeFileSync(join(paths.cniConf, '10-iro.conflist'), cniConflist(paths));
    writeFileSync(paths.kubeletConfig, kubeletConfigYaml(paths));
    writeFileSync(paths.resolvConf, 'options timeout:1 attempts:1\n');
    for (const c of ['kubelet', 'kube-proxy']) symlinkSync(join(options.binDir, 'kube'), join(runDir, 'bin', c));

    components.set('containerd', spawnIn(paths, ns, 'containerd', ['containerd', `--config=${paths.containerdConfig}`]));
    const ctr = (...args: string[]) => sh('ctr', [`--address=${paths.containerdSocket}`, '--namespace=k8s.io', ...args]);
    await until('containerd did not answer', async () => (await ctr('version')).includes('Server'));
    const tImport = Date.now();
    const archive = join(paths.tmp, 'images.tar');
    mergeOciArchives([...images.values()].map((i) => i.archive), archive);
    await ctr('images', 'import', archive);
    rmSync(archive, { force: true });
    const importMs = Date.now() - tImport;

    // Pods reach the API server as `kubernetes.default.svc` (10.96.0.1:443): its endpoint is the relay.
    await kubeRequest(kc, 'POST', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'kubernetes-real-node',
        namespace: 'default',
        labels: { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'image-registry-operator-tests' },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: [layout.hostAddress], conditions: { ready: true } }],
      ports: [{ name: 'https', port: options.apiPort, protocol: 'TCP' }],
    }).catch((err: unknown) => {
      if ((err as { status?: number }).status !== 409) throw err;
    });

    components.set('kubelet', spawnIn(paths, ns, 'kubelet', [join(runDir, 'bin/kubelet'), ...kubeletArgs(paths)]));
    interface NodeStatus {
      status?: { conditions?: { type: string; status: string }[] };
    }
    await until(`node ${layout.nodeName} did not become Ready`, async () => {
      const node = await kubeRequest<NodeStatus>(kc, 'GET', `/api/v1/nodes/${layout.nodeName}`);
      return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    });
    components.set('kube-proxy', spawnIn(paths, ns, 'kube-proxy', [join(runDir, 'bin/kube-proxy'), ...kubeProxyArgs(paths)]));
    const handle: RealNodeHandle = {
      name: layout.nodeName,
      nodeKey: layout.nodeKey,
      runDir,
      enter: ns.enter(),
      images: Object.fromEntries([...images].map(([n, i]) => [n, i.ref])),
      client: go.client,
    };
    await until('kube-proxy did not program the kubernetes Service', async () =>
      (await execInNode(handle, ['iptables', '-w', '-t', 'nat', '-S', 'KUBE-SERVICES'])).includes('10.96.0.1/32'),
    );
    const readyMs = Date.now() - t0;
    let stopped = false;
    return {
      handle,
      images,
      guardPackets,
      logs,
      timings: { readyMs, importMs },
      pids: () => Object.fromEntries([...components.values()].flatMap((c) => (c.child.pid ? [[c.name, c.child.pid]] : []))),
      async stop() {
        if (stopped) return;
        stopped = true;
        await kubeRequest(kc, 'DELETE', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes-real-node').catch(forget);
        await kubeRequest(kc, 'DELETE', `/api/v1/nodes/${layout.nodeName}`).catch(forget);
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll().catch(forget);
    throw err;
  }
}
