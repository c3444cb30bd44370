import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { layout } from './layout.ts';

const cgroupFs = '/sys/fs/cgroup';

/** Every mounted cgroup hierarchy (each v1 controller and the unified one), as mount points. */
export function cgroupHierarchies(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => {
      const dash = f.indexOf('-');
      return dash > 0 && (f[dash + 1] === 'cgroup' || f[dash + 1] === 'cgroup2') && (f[4] ?? '').startsWith(cgroupFs);
    })
    .map((f) => f[4] as string);
}

/** The node's cgroup root in each hierarchy (the kubelet's `cgroupRoot`; the kubelet requires it to exist). */
export function nodeCgroups(): string[] {
  return cgroupHierarchies().map((h) => join(h, layout.cgroupName));
}

/** Creates the cgroup root everywhere; a cpuset child starts empty, so it inherits the root's CPUs and memory nodes. */
export function createNodeCgroups(): void {
  for (const dir of nodeCgroups()) {
    mkdirSync(dir, { recursive: true });
    const parent = join(dir, '..');
    for (const f of ['cpuset.cpus', 'cpuset.mems']) {
      if (existsSync(join(dir, f)) && readFileSync(join(dir, f), 'utf8').trim() === '') {
        writeFileSync(join(dir, f), readFileSync(join(parent, f), 'utf8'));
      }
    }
  }
}

/** Cgroups below the node's roots that still exist, deepest first (what rmdir must remove). */
export function leftoverCgroups(): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
    }
    found.push(d);
  };
  for (const root of nodeCgroups()) if (existsSync(root)) walk(root);
  return found;
}
