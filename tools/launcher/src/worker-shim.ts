/**
 * What a worker runs before it imports its app's bundle (evaluated as a CommonJS script, so the launcher
 * ships as one file). Signals reach only the main thread, so the launcher posts `shutdown` and the shim
 * raises SIGTERM inside the worker, where the app's own handler drains and exits. An app that signals
 * itself (routes restarts on an API change with `process.kill(process.pid, 'SIGTERM')`) would otherwise
 * stop the whole process: that signal is raised in its worker only, and the launcher starts the worker
 * again. The message port is unref'd so a bundle that ends by itself (`--help`) ends its worker.
 */
export const workerShim = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m && m.type === 'shutdown') process.emit('SIGTERM', 'SIGTERM');
});
parentPort.unref();
const kill = process.kill.bind(process);
process.kill = (pid, signal) => {
  if (pid === process.pid && (signal === 'SIGTERM' || signal === 'SIGINT')) {
    process.emit(signal, signal);
    return true;
  }
  return kill(pid, signal);
};
import(workerData.bundleUrl).catch((err) => {
  process.stderr.write(workerData.app + ': could not load ' + workerData.bundleUrl + ': ' + (err && err.stack || err) + '\\n');
  process.exit(1);
});
`;

/** The message that asks a worker to shut down as SIGTERM would. */
export const shutdownMessage = { type: 'shutdown' } as const;
