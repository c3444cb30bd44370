// The processes a phase starts, and what /proc says about them (CPU ticks, resident memory).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  log: string;
}

const started: Proc[] = [];
/** Linux's USER_HZ: /proc/<pid>/stat counts CPU in these. */
const ticksPerSecond = 100;

export function spawnLogged(
  name: string,
  cmd: string,
  args: string[],
  o: { env: NodeJS.ProcessEnv; logDir: string; cwd?: string },
): Proc {
  const log = join(o.logDir, `${name}.log`);
  const fd = openSync(log, 'w');
  const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], env: o.env, ...(o.cwd ? { cwd: o.cwd } : {}) });
  closeSync(fd);
  if (!child.pid) throw new Error(`could not start ${name} (${cmd})`);
  const p = { name, child, pid: child.pid, log };
  started.push(p);
  return p;
}

export const alive = (p: Proc) => p.child.exitCode === null && p.child.signalCode === null;

/** SIGTERM, then SIGKILL after 20 s, each by its own PID. */
export async function stopAll(procs: readonly Proc[] = started): Promise<void> {
  for (const p of procs) if (alive(p)) p.child.kill('SIGTERM');
  await Promise.all(
    procs.filter(alive).map(async (p) => {
      const exited = new Promise((r) => p.child.once('exit', r));
      const t = setTimeout(() => p.child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
    }),
  );
}

/** user + system CPU seconds so far; NaN once the process is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / ticksPerSecond;
  } catch {
    return NaN;
  }
}

function statusMiB(pid: number, key: string): number {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** VmRSS in MiB; NaN once the process is gone. */
export const rssMiB = (pid: number): number => statusMiB(pid, 'VmRSS');

/**
 * RssAnon in MiB: what the process alone holds. The rest of its RSS is file pages, mostly the node (or
 * operator) binary's, which every process started from the same file shares: summing RSS counts them once
 * per process.
 */
export const privateMiB = (pid: number): number => statusMiB(pid, 'RssAnon');

/** VmHWM in MiB: the highest RSS since the process started (start-up included). */
export const peakMiB = (pid: number): number => statusMiB(pid, 'VmHWM');

export const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
