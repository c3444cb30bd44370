import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where run folders live: one per control plane, removed on stop, swept when their owner died. */
export const runsRoot = join(tmpdir(), 'image-registry-operator-runs');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroups(runDir: string, signal: NodeJS.Signals): void {
  const file = join(runDir, 'pgids');
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const pgid = Number(line);
    if (pgid > 0) {
      try {
        process.kill(-pgid, signal);
      } catch {
        // already gone
      }
    }
  }
}

/** Kills what a killed test run left behind (its owner process is gone) and removes its folder. */
export function sweepStaleRuns(): void {
  if (!existsSync(runsRoot)) return;
  for (const name of readdirSync(runsRoot)) {
    const dir = join(runsRoot, name);
    const owner = Number(existsSync(join(dir, 'owner')) ? readFileSync(join(dir, 'owner'), 'utf8') : 0);
    if (owner > 0 && alive(owner)) continue;
    killGroups(dir, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

export function newRunDir(): string {
  mkdirSync(runsRoot, { recursive: true });
  const dir = join(runsRoot, `${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`);
  mkdirSync(dir);
  appendFileSync(join(dir, 'owner'), String(process.pid));
  return dir;
}

/**
 * Starts a watcher that outlives a SIGKILL of this process: when the owner pid disappears it kills
 * every process group recorded in the run folder and removes the folder.
 */
export function startReaper(runDir: string): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null && [ -d "$1" ]; do sleep 1; done
[ -f "$1/pgids" ] && while read -r g; do kill -KILL -"$g" 2>/dev/null; done < "$1/pgids"
rm -rf "$1"`;
  const reaper = spawn('bash', ['-c', script, 'reaper', runDir], { detached: true, stdio: 'ignore' });
  reaper.unref();
  return reaper;
}

export interface Component {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
}

/** Spawns a component in its own process group, logging to `<runDir>/<name>.log`. */
export function startComponent(runDir: string, name: string, bin: string, args: string[]): Component {
  const logFile = join(runDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', fd, fd], env: { ...process.env } });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${bin})`);
  appendFileSync(join(runDir, 'pgids'), `${child.pid}\n`);
  child.unref();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, logFile, exited };
}

/** SIGTERM the component's group, then SIGKILL after `graceMs`. */
export async function stopComponent(c: Component, graceMs = 5_000): Promise<void> {
  if (c.child.exitCode !== null || c.child.signalCode !== null) return;
  const pid = c.child.pid;
  if (pid === undefined) return;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      // gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await c.exited;
  clearTimeout(timer);
}

export function killRun(runDir: string): void {
  killGroups(runDir, 'SIGKILL');
}

/** A free loopback TCP port (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function tail(file: string, lines = 20): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
