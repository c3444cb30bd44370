import { createServer } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LauncherApp, LauncherOptions } from './options.ts';
import { workerShim } from './worker-shim.ts';

/** A free loopback port for a worker's own probe server (only the launcher talks to it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts one app's bundle in a worker thread: its own V8 isolate, heap and event loop, the process's
 * environment, the app's arguments, and its probe server on `127.0.0.1:<port>` (never reachable from
 * outside the pod: the launcher serves what it reports).
 */
export function startAppWorker(app: LauncherApp, port: number, limits: LauncherOptions['workerLimits']): Worker {
  return new Worker(workerShim, {
    eval: true,
    name: app.name,
    // The app's flag wins over any --metrics-bind-address in the common arguments: it comes last.
    argv: [...app.args, `--metrics-bind-address=127.0.0.1:${port}`],
    env: { ...process.env },
    workerData: { app: app.name, bundleUrl: pathToFileURL(app.bundle).href },
    resourceLimits: limits,
  });
}
