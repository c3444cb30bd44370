import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from './workspace.ts';

const run = promisify(execFile);

/**
 * Runs the workspace's nx from inside a test (to bundle what the test runs), one at a time across all
 * test processes.
 *
 * Nx 23 records every task an nx process tree runs under the outermost process's pid
 * (NX_INVOCATION_ROOT_PID) and calls a second run of the same task under that root a recursive loop. Two
 * test files that bundle the same app at once, both under `nx run-many -t test`, trip it, so the nested
 * nx starts its own tree. The lock (flock, released when the process dies) keeps two nested runs from
 * writing one dist/ folder at once.
 */
export async function runNx(args: string[], root = workspaceRoot()): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(root, 'node_modules/.bin')}${delimiter}${process.env['PATH'] ?? ''}` };
  delete env['NX_INVOCATION_ROOT_PID'];
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const { stdout } = await run('flock', [join(root, 'tmp/.nx-in-tests.lock'), join(root, 'node_modules/.bin/nx'), ...args, '--outputStyle=static'], {
    cwd: root,
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}
