// registry-auth: the registry pod's authenticating, authorizing TLS front door (distribution flavour).
import { OptionsError, createLogger, loadKubeConfig, parseOptions, usage } from '@image-registry/controller-runtime';
import { startRegistryAuth, type RunningRegistryAuth } from './app.ts';
import { appName, authFlags, parseAuthFlags } from './flags.ts';

let opts;
let settings;
try {
  opts = parseOptions(process.argv.slice(2), process.env, authFlags);
  settings = parseAuthFlags(opts.extra);
} catch (err) {
  if (!(err instanceof OptionsError)) throw err;
  process.stderr.write(`${appName}: ${err.message}\n`);
  process.exit(2);
}
if (opts.help) {
  process.stdout.write(`${usage(appName, authFlags)}\n`);
  process.exit(0);
}

const logger = createLogger({ level: opts.logLevel, name: appName });
let running: RunningRegistryAuth | undefined;
let exiting = false;
async function exit(code: number, reason: string, err?: unknown): Promise<void> {
  if (exiting) return;
  exiting = true;
  if (err) logger.fatal({ err }, reason);
  else logger.info(reason);
  const finished = (await running?.stop()) ?? true;
  logger.flush();
  process.exit(finished ? code : 1);
}
process.on('uncaughtException', (err) => void exit(1, 'uncaught exception', err));
process.on('unhandledRejection', (err) => void exit(1, 'unhandled promise rejection', err));
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    if (exiting) process.exit(1);
    void exit(0, `${sig} received; draining in-flight requests`);
  });
}
try {
  running = await startRegistryAuth({
    settings,
    kubeConfig: loadKubeConfig(opts.kubeconfig),
    logger,
    metricsBindAddress: opts.metricsBindAddress,
  });
} catch (err) {
  await exit(1, 'could not start', err);
}
