import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { leftoverCgroups } from './cgroups.ts';
import { layout } from './layout.ts';
import { sh } from './namespace.ts';

/** Host paths the kubelet, containerd and CNI write regardless of flags (kept private to the node's mounts). */
export const insistedPaths = [
  '/var/lib/kubelet',
  '/var/lib/cni',
  '/var/lib/containerd',
  '/var/log/containers',
  '/var/log/pods',
  '/run/containerd',
  '/run/netns',
  '/etc/containerd/certs.d',
  '/opt/containerd',
];

/** The sysctls the kubelet or kube-proxy would change on a node, read from the host. */
const sysctls = ['vm/overcommit_memory', 'vm/panic_on_oom', 'kernel/panic', 'kernel/panic_on_oops', 'net/ipv4/ip_forward', 'net/ipv4/conf/all/route_localnet'];

/** Process names of the node's stack (comm is cut at 15 characters), and what its pods run. */
const nodePrograms = new Set(['containerd', 'containerd-shim', 'kubelet', 'kube-proxy', 'runc', 'pause']);
const podCommands = ['/nodejs/bin/node', '/etc/distribution/config.yml', '/client serve', 'image-registry-operator-real-node'];

/** What a real node could leave on the host, as comparable text (no counters, no timestamps). */
export interface HostState {
  mounts: string[];
  cgroups: string[];
  iptables: string[];
  links: string[];
  routes: string[];
  paths: string[];
  sysctls: string[];
  processes: string[];
}

function rules(save: string): string[] {
  return save
    .split('\n')
    .filter((l) => l.startsWith('-A') || l.startsWith(':') || l.startsWith('*'))
    .map((l) => l.replace(/\s\[\d+:\d+\]$/, ''))
    .sort();
}

function processes(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const comm = readFileSync(join('/proc', pid, 'comm'), 'utf8').trim();
      const cmdline = readFileSync(join('/proc', pid, 'cmdline'), 'utf8').replaceAll('\0', ' ');
      if (nodePrograms.has(comm) || podCommands.some((c) => cmdline.includes(c))) out.push(`${pid} ${comm} ${cmdline.slice(0, 200)}`);
    } catch {
      // exited meanwhile
    }
  }
  return out.sort();
}

/** Snapshot of everything the real node touches outside its run folder. */
export async function hostState(): Promise<HostState> {
  const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const f = l.split(' ');
      const dash = f.indexOf('-');
      return `${f[4]} ${f[dash + 1]}`;
    })
    .sort();
  const cgroupRoots = readdirSync('/sys/fs/cgroup').flatMap((h) => {
    try {
      return readdirSync(join('/sys/fs/cgroup', h))
        .filter((d) => d === layout.cgroupName || d === 'kubepods' || d.startsWith('kubepods.'))
        .map((d) => `${h}/${d}`);
    } catch {
      return [];
    }
  });
  return {
    mounts: mountinfo,
    cgroups: [...cgroupRoots, ...leftoverCgroups()].sort(),
    iptables: [...rules(await sh('iptables-save', [])), ...rules(await sh('ip6tables-save', []).catch(() => ''))],
    links: (await sh('ip', ['-o', 'link'])).split('\n').map((l) => l.split(':')[1]?.trim() ?? '').filter(Boolean).sort(),
    routes: (await sh('ip', ['route'])).split('\n').filter(Boolean).sort(),
    paths: insistedPaths.filter((p) => existsSync(p)),
    sysctls: sysctls.map((s) => `${s}=${existsSync(`/proc/sys/${s}`) ? readFileSync(`/proc/sys/${s}`, 'utf8').trim() : '-'}`),
    processes: processes(),
  };
}
