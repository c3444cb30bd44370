import { existsSync, readFileSync } from 'node:fs';
import { createLogger, KubeClient, loadKubeConfig } from '@image-registry/controller-runtime';
import { Registry } from 'prom-client';
import { parsePruneOptions, pinoLevel, PruneOptionsError, pruneUsage } from './options.ts';
import { RegistryApi } from './registry-api.ts';
import { RegistryHttp } from './registry-http.ts';
import { prune, PruneFailedError, summaryLine, type PruneSummary } from './run.ts';

/**
 * `main.mjs prune …`: the prune job. Exit 0 when every step worked, 1 when one failed (the Job's
 * `Failed` condition and ImagePruner `Failed` then say so), 2 for bad flags. On SIGTERM the
 * running step is stopped and the read-only window released before exiting.
 */
export async function runPruneCommand(argv: readonly string[], env: Record<string, string | undefined>): Promise<number> {
  let opts;
  try {
    opts = parsePruneOptions(argv, env);
  } catch (err) {
    if (!(err instanceof PruneOptionsError)) throw err;
    process.stderr.write(`prune: ${err.message}\n${pruneUsage}\n`);
    return 2;
  }
  const log = createLogger({ level: pinoLevel(opts.logLevel), name: 'prune' });
  const empty: PruneSummary = {
    repositories: 0,
    tags: 0,
    manifestsDeleted: 0,
    manifestsPlanned: 0,
    invalidReferences: 0,
    blobsReclaimed: 0,
    bytesReclaimed: 0,
    garbageCollection: 'not needed',
  };
  if (!opts.pruneRegistry || !opts.registryUrl) {
    log.info('the registry is not pruned (--prune-registry=false: it is Removed, Unmanaged or has no hostname)');
    log.info(empty, summaryLine(empty));
    return 0;
  }
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const token = existsSync(opts.tokenFile) ? readFileSync(opts.tokenFile, 'utf8').trim() : undefined;
  if (opts.certificateAuthority && !existsSync(opts.certificateAuthority)) {
    log.error({ file: opts.certificateAuthority }, 'the --certificate-authority file does not exist; is ConfigMap serviceca filled?');
    return 1;
  }
  const http = new RegistryHttp({
    baseUrl: opts.registryUrl,
    ca: opts.certificateAuthority ? readFileSync(opts.certificateAuthority, 'utf8') : undefined,
    token,
    maxSockets: opts.concurrency,
  });
  let kube: KubeClient | undefined;
  try {
    const summary = await prune({
      opts,
      api: new RegistryApi(http),
      kube: () =>
        (kube ??= new KubeClient({
          kubeConfig: loadKubeConfig(opts.kubeconfig),
          fieldManager: 'image-registry-operator/pruner',
          registry: new Registry(),
          logger: log,
        })),
      log,
      signal: abort.signal,
    });
    log.info(summary, summaryLine(summary));
    return 0;
  } catch (err) {
    const summary = err instanceof PruneFailedError ? err.summary : empty;
    log.error({ err: err instanceof Error ? err.message : String(err) }, 'prune failed');
    log.info(summary, summaryLine(summary));
    return 1;
  } finally {
    http.close();
    kube?.close();
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    log.flush();
  }
}
