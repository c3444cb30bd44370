import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { kubeRequest } from '../kube/request.ts';
import { controlPlaneBinaries } from './binaries.ts';
import { kubeconfigYaml, loadKubeConfig } from './kubeconfig.ts';
import { createPki } from './pki.ts';
import {
  freePort,
  killRun,
  newRunDir,
  startComponent,
  startReaper,
  stopComponent,
  sweepStaleRuns,
  tail,
  type Component,
} from './processes.ts';
import { rmSync } from 'node:fs';
import type { BuiltImage } from '../real-node/images/build.ts';
import { startRealNode, type RealNode } from '../real-node/start.ts';

export interface ControlPlaneOptions {
  /** Fake kwok nodes that become Ready (default 2). */
  nodes?: number;
  /** Keep the run folder (logs, etcd data) after stop (default false). */
  keepRunDir?: boolean;
  /** How long to wait for each readiness step (default 120 s). */
  timeoutMs?: number;
  /**
   * Adds one real node (containerd, kubelet, kube-proxy in namespaces of their own) beside the kwok
   * nodes; needs root and the Debian packages the bootstrap installs. `images` defaults to every image.
   */
  realNode?: boolean | { images?: Map<string, BuiltImage> };
}

export interface ControlPlane {
  kubeconfigPath: string;
  kubeConfig: KubeConfig;
  /** Folder with every component's log, the PKI and etcd's data. */
  runDir: string;
  binDir: string;
  /** Milliseconds from the call to kube-apiserver /readyz, and to every node Ready. */
  timings: { apiServerReadyMs: number; nodesReadyMs: number };
  /** Process id of each running component (etcd, kube-apiserver, …), e.g. to read its RSS. */
  pids(): Record<string, number>;
  /** Stops kube-apiserver and starts it again on the same port and etcd; resolves when /readyz is ok. */
  restartApiServer(): Promise<void>;
  /** The real node, when started with `realNode`. */
  realNode?: RealNode;
  stop(): Promise<void>;
}

export class ControlPlaneStartError extends Error {
  override name = 'ControlPlaneStartError';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>, logs: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    await sleep(200);
  }
  throw new ControlPlaneStartError(`${what} within ${timeoutMs} ms (last error: ${String(last)})\n${logs()}`);
}

/**
 * Starts a real control plane on loopback: etcd, kube-apiserver (RBAC, TokenRequest),
 * kube-controller-manager, kube-scheduler and kwok with fake nodes that run pods to Ready.
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const t0 = Date.now();
  const nodes = options.nodes ?? 2;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const { binDir, stagesFile } = await controlPlaneBinaries();
  sweepStaleRuns();
  const runDir = newRunDir();
  const reaper = startReaper(runDir);
  const components = new Map<string, Component>();
  const bin = (n: string) => join(binDir, n);
  const file = (name: string, content: string) => {
    const p = join(runDir, name);
    writeFileSync(p, content, { mode: 0o600 });
    return p;
  };
  const logs = () =>
    `run folder: ${runDir}\n` +
    [...components.values()].map((c) => `--- ${c.name} (${c.logFile})\n${tail(c.logFile)}`).join('\n');
  const start = (name: string, args: string[]) => components.set(name, startComponent(runDir, name, bin(name), args));

  try {
    const pki = await createPki();
    const [etcdClient, etcdPeer, apiPort, kcmPort, schedPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const ca = file('ca.crt', pki.ca.cert);
    const server = `https://127.0.0.1:${apiPort}`;
    const kubeconfigPath = file('admin.kubeconfig', kubeconfigYaml(server, pki.ca.cert, pki.admin));
    const saKey = file('sa.key', pki.serviceAccount.key);
    // Two plain users with bearer tokens (not ServiceAccounts), for tests of token-based clients;
    // tests read them from user-tokens.json beside the kubeconfig.
    const userTokens = { alice: randomBytes(24).toString('hex'), bob: randomBytes(24).toString('hex') };
    const tokenFile = file('user-tokens.csv', Object.entries(userTokens).map(([u, t]) => `${t},${u},${u},"developers"`).join('\n') + '\n');
    file('user-tokens.json', JSON.stringify(userTokens));

    start('etcd', [
      '--name=default',
      `--data-dir=${join(runDir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);

    const apiArgs = [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      // No default route is needed, and a loopback advertise address needs the endpoint reconciler off.
      '--advertise-address=127.0.0.1',
      '--endpoint-reconciler-type=none',
      `--cert-dir=${join(runDir, 'apiserver-certs')}`,
      `--tls-cert-file=${file('apiserver.crt', pki.serving.cert)}`,
      `--tls-private-key-file=${file('apiserver.key', pki.serving.key)}`,
      `--client-ca-file=${ca}`,
      // The request-header CA lets kube-controller-manager and kube-scheduler finish delegated authn setup.
      `--requestheader-client-ca-file=${ca}`,
      '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-username-headers=X-Remote-User',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${file('sa.pub', pki.serviceAccount.pub)}`,
      `--service-account-signing-key-file=${saKey}`,
      '--authorization-mode=RBAC',
      `--token-auth-file=${tokenFile}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--allow-privileged=true',
      '--profiling=false',
    ];
    // The real node's name resolves nowhere: reach its kubelet (logs, exec) by its veth address.
    if (options.realNode) apiArgs.push('--kubelet-preferred-address-types=InternalIP,Hostname,InternalDNS,ExternalDNS,ExternalIP');
    const kc = loadKubeConfig(kubeconfigPath);
    const apiReady = () =>
      until('kube-apiserver did not become ready', timeoutMs, async () => {
        const body = await kubeRequest<string>(kc, 'GET', '/readyz');
        return body === 'ok';
      }, logs);
    start('kube-apiserver', apiArgs);
    await apiReady();
    const apiServerReadyMs = Date.now() - t0;

    const common = [
      `--kubeconfig=${kubeconfigPath}`,
      `--authentication-kubeconfig=${kubeconfigPath}`,
      `--authorization-kubeconfig=${kubeconfigPath}`,
      '--bind-address=127.0.0.1',
      '--leader-elect=false',
    ];
    start('kube-controller-manager', [
      ...common,
      `--secure-port=${kcmPort}`,
      `--cert-dir=${join(runDir, 'kcm-certs')}`,
      `--service-account-private-key-file=${saKey}`,
      `--root-ca-file=${ca}`,
      '--controllers=*',
      '--kube-api-qps=100',
      '--kube-api-burst=200',
    ]);
    start('kube-scheduler', [...common, `--secure-port=${schedPort}`, `--cert-dir=${join(runDir, 'scheduler-certs')}`]);
    start('kwok', [
      `--kubeconfig=${kubeconfigPath}`,
      `--config=${stagesFile}`,
      // The real node is the kubelet's: kwok then manages only its own (annotated) nodes.
      options.realNode ? '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake' : '--manage-all-nodes=true',
      '--cidr=10.244.0.0/16',
      '--node-ip=10.0.0.1',
      '--node-lease-duration-seconds=40',
    ]);

    for (let i = 0; i < nodes; i++) {
      await kubeRequest(kc, 'POST', '/api/v1/nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: `kwok-node-${i}`,
          labels: {
            type: 'kwok',
            'kubernetes.io/hostname': `kwok-node-${i}`,
            'kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64',
            'topology.kubernetes.io/zone': `zone-${i % 3}`,
            'node-role.kubernetes.io/worker': '',
          },
          annotations: { 'kwok.x-k8s.io/node': 'fake' },
        },
        spec: { providerID: `kwok://kwok-node-${i}` },
      });
    }
    interface NodeList {
      items: { status?: { conditions?: { type: string; status: string }[] } }[];
    }
    await until(`${nodes} kwok nodes did not become Ready`, timeoutMs, async () => {
      const list = await kubeRequest<NodeList>(kc, 'GET', '/api/v1/nodes');
      const ready = list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      return ready.length >= nodes;
    }, logs);
    const nodesReadyMs = Date.now() - t0;
    // The ServiceAccount controller runs once `default` exists in `default`: pods can be admitted.
    await until('kube-controller-manager did not create ServiceAccount default/default', timeoutMs, async () => {
      await kubeRequest(kc, 'GET', '/api/v1/namespaces/default/serviceaccounts/default');
      return true;
    }, logs);

    const realNode = options.realNode
      ? await startRealNode({
          kubeConfig: kc,
          kubeconfigPath,
          apiPort,
          binDir,
          images: typeof options.realNode === 'object' ? options.realNode.images : undefined,
          timeoutMs: Math.max(timeoutMs, 180_000),
          keepRunDir: options.keepRunDir,
        }).catch((err: unknown) => {
          throw new ControlPlaneStartError(`the real node did not start: ${(err as Error).message}`, { cause: err });
        })
      : undefined;

    let stopped = false;
    return {
      realNode,
      kubeconfigPath,
      kubeConfig: kc,
      runDir,
      binDir,
      timings: { apiServerReadyMs, nodesReadyMs },
      pids: () =>
        Object.fromEntries([...components.values()].flatMap((c) => (c.child.pid ? [[c.name, c.child.pid]] : []))),
      async restartApiServer() {
        const api = components.get('kube-apiserver');
        if (api) await stopComponent(api);
        start('kube-apiserver', apiArgs);
        await apiReady();
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await realNode?.stop();
        // Reverse start order; etcd last so nothing logs connection errors on the way down.
        for (const name of ['kwok', 'kube-scheduler', 'kube-controller-manager', 'kube-apiserver', 'etcd']) {
          const c = components.get(name);
          if (c) await stopComponent(c);
        }
        reaper.kill('SIGKILL');
        if (!options.keepRunDir) rmSync(runDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    killRun(runDir);
    reaper.kill('SIGKILL');
    throw err;
  }
}
