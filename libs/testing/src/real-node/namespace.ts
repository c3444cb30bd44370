import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { layout, type NodePaths } from './layout.ts';

export class RealNodeError extends Error {
  override name = 'RealNodeError';
}

/** Runs a host command; the error names the command and carries its stderr. */
export async function sh(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  try {
    const child = execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 120_000 });
    const done = new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      child.once('error', reject);
      child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err.trim()}`))));
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
    return await done;
  } catch (err) {
    throw new RealNodeError(`${cmd} ${args.join(' ')} failed: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Values the kubelet would otherwise write to host-wide sysctls (vm.overcommit_memory, kernel.panic,
 * kernel.panic_on_oops). Inside the node's mount namespace a file with the value is bind-mounted over
 * each, so the kubelet reads what it wants and never writes the host's kernel settings.
 */
const maskedSysctls: Record<string, string> = {
  'vm/overcommit_memory': '1',
  'vm/panic_on_oom': '0',
  'kernel/panic': '10',
  'kernel/panic_on_oops': '1',
};

/**
 * The first process of the node's namespaces (PID, network, mount). Before becoming the pause reaper it
 * makes every host path the stack insists on private: /etc and /var are overlays whose changes land in
 * the run folder, /run is a folder of the run folder, and the sysctls above are masked. No interface but
 * loopback exists yet, and no default route ever does.
 */
function setupScript(paths: NodePaths, pause: string): string {
  const masks = Object.entries(maskedSysctls)
    .map(([k, v]) => `printf '%s\\n' ${v} > "$S/${k.replace('/', '.')}" && mount --bind "$S/${k.replace('/', '.')}" /proc/sys/${k}`)
    .join('\n');
  return `set -eu
S="${paths.sysctls}"
mount -t overlay overlay -o lowerdir=/etc,upperdir="${paths.etcUpper}",workdir="${paths.etcWork}" /etc
mount -t overlay overlay -o lowerdir=/var,upperdir="${paths.varUpper}",workdir="${paths.varWork}" /var
mount --bind "${paths.run}" /run
${masks}
# Name resolution on the node: /etc/hosts only (node-ca's agent, or the harness, maps the registry's name).
printf '# real node: no DNS server; names resolve through /etc/hosts\\noptions timeout:1 attempts:1\\n' > /etc/resolv.conf
ip link set lo up
touch "${paths.ready}"
exec "${pause}"
`;
}

export interface NodeNamespace {
  /** Host pid of the namespaces' first process (the pause reaper); SIGKILL ends every process in them. */
  pid: number;
  holder: ChildProcess;
  /** argv prefix that runs a command inside the node's network, mount and PID namespaces. */
  enter(): string[];
}

/** Creates the namespaces and waits until their private mounts are in place. */
export async function createNamespace(paths: NodePaths, pause: string, timeoutMs: number): Promise<NodeNamespace> {
  for (const d of [paths.etcUpper, paths.etcWork, paths.varUpper, paths.varWork, paths.run, paths.sysctls]) {
    mkdirSync(d, { recursive: true });
  }
  writeFileSync(paths.setupScript, setupScript(paths, pause), { mode: 0o700 });
  const log = openSync(join(paths.runDir, 'namespace.log'), 'a');
  // --kill-child: if unshare dies (the reaper kills its process group), the namespaces' init dies too.
  const holder = spawn(
    'unshare',
    ['--pid', '--fork', '--mount-proc', '--net', '--mount', '--propagation', 'private', '--kill-child', 'bash', paths.setupScript],
    { detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  if (holder.pid === undefined) throw new RealNodeError('could not start unshare (util-linux)');
  appendFileSync(join(paths.runDir, 'pgids'), `${holder.pid}\n`);
  holder.unref();
  const deadline = Date.now() + timeoutMs;
  let pid = 0;
  while (Date.now() < deadline) {
    if (holder.exitCode !== null) break;
    const children = join('/proc', String(holder.pid), 'task', String(holder.pid), 'children');
    pid = existsSync(children) ? Number(readFileSync(children, 'utf8').trim().split(' ')[0] ?? 0) : 0;
    if (pid > 0 && existsSync(paths.ready)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!(pid > 0 && existsSync(paths.ready))) {
    const why = existsSync(join(paths.runDir, 'namespace.log')) ? readFileSync(join(paths.runDir, 'namespace.log'), 'utf8') : '';
    throw new RealNodeError(`the node's namespaces did not come up within ${timeoutMs} ms:\n${why}`);
  }
  writeFileSync(join(paths.runDir, 'holder.pid'), String(pid));
  const enter = () => ['nsenter', `--target=${pid}`, '--net', '--mount', '--pid', '--'];
  return { pid, holder, enter };
}

/**
 * The only link out of the node's network namespace: a veth to the host with addresses of a /30 that
 * exists nowhere else. The host routes the pod range back through it (replies to pods that reach the
 * API server); the namespace gets no default route, so anything else fails with "network unreachable".
 */
export async function connectNamespace(ns: NodeNamespace): Promise<void> {
  const inNs = (...args: string[]) => {
    const [cmd, ...rest] = [...ns.enter(), ...args];
    return sh(cmd as string, rest);
  };
  await sh('ip', ['link', 'add', layout.hostVeth, 'type', 'veth', 'peer', 'name', layout.nodeVeth, 'netns', String(ns.pid)]);
  await sh('ip', ['addr', 'add', `${layout.hostAddress}/30`, 'dev', layout.hostVeth]);
  await sh('ip', ['link', 'set', layout.hostVeth, 'up']);
  await inNs('ip', 'addr', 'add', `${layout.nodeAddress}/30`, 'dev', layout.nodeVeth);
  await inNs('ip', 'link', 'set', layout.nodeVeth, 'up');
  // Per-namespace settings: forwarding between the pod bridge and the veth, never the host's.
  await inNs('sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');
  await sh('ip', ['route', 'add', layout.podCidr, 'via', layout.nodeAddress, 'dev', layout.hostVeth]);
  // A client in the namespace dials a ClusterIP before kube-proxy's OUTPUT DNAT rewrites it, so the
  // service range needs a route: a bridge with no ports, where what no rule rewrote goes nowhere.
  await inNs('ip', 'link', 'add', layout.serviceBridge, 'type', 'bridge');
  await inNs('ip', 'link', 'set', layout.serviceBridge, 'up');
  await inNs('ip', 'route', 'add', layout.serviceCidr, 'dev', layout.serviceBridge);
}

/** For best-effort cleanup calls whose failure changes nothing. */
export function forget(): undefined {
  return undefined;
}
