import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from '@image-registry/testing';

export interface AppProcess {
  child: ChildProcess;
  /** Everything the process printed so far (pino JSON lines). */
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** The routes app as its own process (`node apps/routes/src/main.ts …`, or the bundle), as a Deployment runs it. */
export function spawnRoutesApp(kubeconfig: string, args: string[], main = join(workspaceRoot(), 'apps/routes/src/main.ts')): AppProcess {
  const child = spawn(process.execPath, [main, `--kubeconfig=${kubeconfig}`, '--leader-elect=false', ...args], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
