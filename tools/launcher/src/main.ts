// The launcher: the chosen app bundles in one Node process, a worker thread per app (small clusters).
// It imports no app: each bundle is loaded by path, at run time, inside its own worker.
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { LauncherOptionsError, launcherUsage, parseLauncherOptions, type LauncherOptions } from './options.ts';
import { createProbeServer } from './probe-server.ts';
import { Supervisor, type AppFailedError } from './supervisor.ts';

// In the all-in-one image the launcher is /app/main.mjs and the bundles are /app/apps/<app>/main.mjs.
const defaultBundleDir = join(dirname(fileURLToPath(import.meta.url)), 'apps');

let opts: LauncherOptions;
try {
  opts = parseLauncherOptions(process.argv.slice(2), process.env, defaultBundleDir);
} catch (err) {
  if (!(err instanceof LauncherOptionsError)) throw err;
  process.stderr.write(`launcher: ${err.message}\n`);
  process.exit(2);
}
if (opts.help) {
  process.stdout.write(`${launcherUsage()}\n`);
  process.exit(0);
}

const logger = pino({
  name: 'launcher',
  level: opts.logLevel,
  formatters: { level: (label) => ({ level: label }) },
  timestamp: pino.stdTimeFunctions.isoTime,
});

let exiting = false;
let server: Server | undefined;
async function exit(code: number, reason: string, err?: unknown): Promise<void> {
  if (exiting) return;
  exiting = true;
  if (err) logger.fatal({ err }, reason);
  else logger.info(reason);
  const drained = await supervisor.stop(opts.shutdownTimeoutMs);
  server?.close();
  logger.flush();
  process.exit(drained ? code : code || 1);
}

const supervisor = new Supervisor({
  apps: opts.apps,
  restart: opts.restart,
  workerLimits: opts.workerLimits,
  logger,
  onFailed: (err: AppFailedError) => void exit(err.exitCode, err.message, err),
});
process.on('uncaughtException', (err) => void exit(1, 'uncaught exception in the launcher', err));
process.on('unhandledRejection', (err) => void exit(1, 'unhandled promise rejection in the launcher', err));
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    if (exiting) process.exit(1); // a second signal: stop waiting
    void exit(0, `${sig} received; draining every app`);
  });
}

try {
  if (opts.metricsBindAddress !== '0') {
    const s = createProbeServer({ status: () => supervisor.status() });
    server = s;
    const i = opts.metricsBindAddress.lastIndexOf(':');
    const host = opts.metricsBindAddress.slice(0, i).replace(/^\[(.*)\]$/, '$1') || '0.0.0.0';
    const port = Number(opts.metricsBindAddress.slice(i + 1));
    if (i < 0 || !Number.isInteger(port)) throw new Error(`--metrics-bind-address=${opts.metricsBindAddress} needs the form [host]:port (":8080")`);
    await new Promise<void>((resolve, reject) => s.once('error', reject).listen(port, host, resolve));
  }
  await supervisor.start();
  logger.info({ apps: opts.apps.map((a) => a.name), address: server?.address() }, 'launcher started');
} catch (err) {
  await exit(1, 'could not start', err);
}
