import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { newRunDir, startReaper, tail } from '../control-plane/processes.ts';

/** An emulator did not become ready, or exited. The message holds its log's tail and where the log is. */
export class EmulatorStartError extends Error {
  override name = 'EmulatorStartError';
}

export interface EmulatorProcess {
  name: string;
  /** Folder with the log (`<name>.log`) and the emulator's data; removed by stop(). */
  runDir: string;
  logFile: string;
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** The last lines of the log. */
  logTail(lines?: number): string;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`; keeps the run folder. */
  terminate(graceMs?: number): Promise<void>;
  /** terminate(), then removes the run folder. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  bin: string;
  args: string[];
  /** The complete environment (nothing is inherited, so a stray REGISTRY_* or AWS_* cannot leak in). */
  env: Record<string, string>;
  /** Run folder to use; default: a fresh one under the shared runs root, swept if this process dies. */
  runDir?: string;
}

/** PATH, HOME, TMPDIR and locale, for an environment that inherits nothing else. */
export function baseEnv(runDir: string): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: runDir,
    TMPDIR: runDir,
    LANG: 'C.UTF-8',
  };
}

/** A run folder that a reaper removes (killing what runs in it) if this process is killed. */
export function emulatorRunDir(): string {
  const dir = newRunDir();
  startReaper(dir);
  return dir;
}

/** Starts `bin` in its own process group with stdout and stderr appended to `<runDir>/<name>.log`. */
export function spawnEmulator(opts: SpawnOptions): EmulatorProcess {
  const runDir = opts.runDir ?? emulatorRunDir();
  mkdirSync(runDir, { recursive: true });
  const logFile = join(runDir, `${opts.name}.log`);
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(opts.bin, opts.args, {
      cwd: runDir,
      detached: true,
      stdio: ['ignore', fd, fd],
      env: opts.env,
    });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    // ENOENT/EACCES: 'exit' never fires, so report it as a failed start.
    child.once('error', (err) => {
      appendFileSync(logFile, `\nspawn ${opts.bin} failed: ${err.message}\n`);
      resolve(-1);
    });
  });
  if (child.pid !== undefined) appendFileSync(join(runDir, 'pgids'), `${child.pid}\n`);
  child.unref();

  const signal = (s: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, s);
    } catch {
      // the group is gone already
    }
  };
  let terminating: Promise<void> | undefined;
  const terminate = (graceMs = 5_000): Promise<void> => {
    terminating ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        signal('SIGTERM');
        const timer = setTimeout(() => signal('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      signal('SIGKILL'); // anything the emulator left running in its group
    })();
    return terminating;
  };
  const stop = async (graceMs?: number): Promise<void> => {
    await terminate(graceMs);
    rmSync(runDir, { recursive: true, force: true });
  };
  return {
    name: opts.name,
    runDir,
    logFile,
    child,
    exited,
    logTail: (n = 30) => tail(logFile, n),
    terminate,
    stop,
  };
}

export interface ProbeOptions {
  /** Accepts any HTTP status as ready (default: only 2xx). */
  anyStatus?: boolean;
  /** Accepts exactly these statuses as ready (overrides the 2xx default). */
  statuses?: number[];
  /** For https probes: readiness is about listening, not trust, so the certificate is not verified. */
  insecure?: boolean;
}

/** One HTTP(S) GET; resolves true when it answered (with 2xx unless `anyStatus`). */
export function probe(url: string, opts: ProbeOptions = {}): Promise<boolean> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: 2_000, rejectUnauthorized: !opts.insecure }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(
        opts.anyStatus === true ||
          (opts.statuses ? opts.statuses.includes(status) : status >= 200 && status < 300),
      );
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

/**
 * Polls `ready` every 100 ms until it resolves true. Fails fast when the process exits, and after
 * `timeoutMs`; either way the error carries the log's tail and path, and the process is stopped.
 */
export async function waitUntilReady(
  proc: EmulatorProcess,
  ready: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void proc.exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined || proc.child.exitCode !== null || proc.child.signalCode !== null) {
      const how = proc.child.signalCode ?? `code ${String(exitCode ?? proc.child.exitCode)}`;
      throw failure(proc, `${proc.name} exited (${how}) before it was ready`);
    }
    if (await ready()) return;
    if (Date.now() > deadline) {
      throw failure(proc, `${proc.name} was not ready after ${Math.round(timeoutMs / 1000)} s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function failure(proc: EmulatorProcess, what: string): EmulatorStartError {
  const logs = proc.logTail(40);
  const err = new EmulatorStartError(`${what}; its log is ${proc.logFile}:\n${logs}`);
  // Keep the folder for inspection only while this process lives: the reaper removes it afterwards.
  if (proc.child.pid !== undefined) {
    try {
      process.kill(-proc.child.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  return err;
}
