import { Registry } from 'prom-client';
import { KubeClient } from './kube-client.ts';
import { loadKubeConfig } from './kubeconfig.ts';
import { createLogger, type Logger } from './logger.ts';
import { Manager } from './manager.ts';
import { OptionsError, parseOptions, usage, type AppOptions, type ExtraFlag } from './options.ts';

export { loadKubeConfig };

export interface AppDefinition {
  /** Short app name: field manager `image-registry-operator/<name>`, Lease `<name>-leader`. */
  name: string;
  /** Wires informers and controllers onto the manager; nothing runs until it returns. */
  setup(mgr: Manager, opts: AppOptions): void | Promise<void>;
  /** App-specific flags, parsed with the common ones. */
  extraFlags?: Record<string, ExtraFlag>;
  /** Default process.argv.slice(2) and process.env. */
  argv?: string[];
  env?: Record<string, string | undefined>;
}

/** The field manager of an app: every write it makes is owned under this name. */
export function fieldManagerFor(app: string): string {
  return `image-registry-operator/${app}`;
}

/**
 * The whole life of an app process: parse flags, build logger, client, metrics and manager, let the
 * app wire its controllers, run until SIGTERM/SIGINT, shut down gracefully, exit 0 (1 when shutdown
 * overran its budget or the app failed, 2 for bad flags).
 */
export async function runApp(def: AppDefinition): Promise<Manager | undefined> {
  let opts: AppOptions & { help: boolean };
  try {
    opts = parseOptions(def.argv ?? process.argv.slice(2), def.env ?? process.env, def.extraFlags);
  } catch (err) {
    if (!(err instanceof OptionsError)) throw err;
    process.stderr.write(`${def.name}: ${err.message}\n`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write(`${usage(def.name, def.extraFlags)}\n`);
    process.exit(0);
  }
  const logger = createLogger({ level: opts.logLevel, name: def.name });
  let mgr: Manager | undefined;
  let exiting = false;
  const exit = async (code: number, reason: string, err?: unknown) => {
    if (exiting) return;
    exiting = true;
    if (err) logger.fatal({ err }, reason);
    else logger.info(reason);
    const ok = (await mgr?.stop()) ?? true;
    logger.flush();
    process.exit(ok ? code : 1);
  };
  process.on('uncaughtException', (err) => void exit(1, 'uncaught exception', err));
  process.on('unhandledRejection', (err) => void exit(1, 'unhandled promise rejection', err));
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.on(sig, () => {
      if (exiting) process.exit(1); // a second signal: stop waiting
      void exit(0, `${sig} received; shutting down`);
    });
  }
  try {
    const registry = new Registry();
    const client = new KubeClient({
      kubeConfig: loadKubeConfig(opts.kubeconfig),
      fieldManager: fieldManagerFor(def.name),
      registry,
      logger,
    });
    mgr = new Manager({
      name: def.name,
      client,
      logger,
      metricsBindAddress: opts.metricsBindAddress,
      metricsAuth: opts.metricsAuth,
      metricsCertDir: opts.metricsCertDir,
      leaderElection: opts.leaderElect ? { namespace: opts.leaderElectionNamespace, ...opts.leaderElection } : false,
    });
    await def.setup(mgr, opts);
    mgr.failed.catch((err: unknown) => void exit(1, 'the manager failed', err));
    await mgr.start();
  } catch (err) {
    await exit(1, 'could not start', err);
  }
  return mgr;
}

export type { Logger };
