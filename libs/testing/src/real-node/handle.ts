import { readFileSync } from 'node:fs';
import { sh } from './namespace.ts';

/**
 * What a test needs to use the real node, as plain data: it crosses from a vitest globalSetup to the
 * workers (`provide`/`inject`).
 */
export interface RealNodeHandle {
  name: string;
  /** Label (value "true") and NoSchedule taint key: pods select and tolerate it to run on the node. */
  nodeKey: string;
  runDir: string;
  /** argv prefix that enters the node's network, mount and PID namespaces. */
  enter: string[];
  /** Image refs as imported into the node's containerd, by image name (`registry`, `test-client`, apps). */
  images: Record<string, string>;
  /** The test client binary on this machine (the test-client image's), to run inside the namespaces. */
  client: string;
}

/** nodeSelector and tolerations that put a pod on the real node. */
export function realNodePlacement(h: RealNodeHandle) {
  return {
    nodeSelector: { [h.nodeKey]: 'true' },
    tolerations: [{ key: h.nodeKey, operator: 'Exists', effect: 'NoSchedule' }],
  };
}

/**
 * Runs a program inside the node's namespaces: the way to be a client of ClusterIPs and pod IPs,
 * which exist nowhere else on the machine.
 */
export function execInNode(h: RealNodeHandle, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const [cmd, ...rest] = [...h.enter, ...args];
  return sh(cmd as string, rest, opts);
}

/** Writes a file in the node's mount namespace (its /etc and /var are overlays kept in the run folder). */
export async function writeNodeFile(h: RealNodeHandle, path: string, content: string): Promise<void> {
  await execInNode(h, ['sh', '-c', 'mkdir -p "$(dirname "$1")" && cat > "$1"', 'sh', path], { input: content });
}

/**
 * Trusts `ca` for pulls from `hostPort`: `/etc/containerd/certs.d/<host:port>/ca.crt`, which containerd
 * reads through `config_path`. This is the file node-ca's agent writes when it runs as a DaemonSet on the
 * node; until a test runs that agent, the harness writes it.
 */
export function trustRegistry(h: RealNodeHandle, hostPort: string, ca: string): Promise<void> {
  return writeNodeFile(h, `/etc/containerd/certs.d/${hostPort}/ca.crt`, ca);
}

/** Sets the node's /etc/hosts to the host's plus `entries` (containerd resolves registry hosts there). */
export function mapNodeHosts(h: RealNodeHandle, entries: Record<string, string[]>): Promise<void> {
  const base = readFileSync('/etc/hosts', 'utf8').trimEnd();
  const lines = Object.entries(entries).map(([ip, names]) => `${ip} ${names.join(' ')}`);
  return writeNodeFile(h, '/etc/hosts', `${base}\n# real node (harness)\n${lines.join('\n')}\n`);
}
