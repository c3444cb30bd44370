import { readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import {
  KubeClient,
  createProbeServer,
  fieldManagerFor,
  parseBindAddress,
  systemClock,
  type Clock,
  type KubeClientOptions,
  type Logger,
} from '@image-registry/controller-runtime';
import { appName, type AuthSettings } from './flags.ts';
import { ProxyMetrics } from './metrics.ts';
import { AuthProxy } from './proxy-server.ts';
import { kubeReviewApi, type ReviewApi } from './review-api.ts';
import { Reviewer } from './reviewer.ts';

export interface RegistryAuthDeps {
  settings: AuthSettings;
  kubeConfig: KubeClientOptions['kubeConfig'];
  logger: Logger;
  /** `host:port` of /healthz, /readyz, /metrics; `0` turns it off. */
  metricsBindAddress: string;
  clock?: Pick<Clock, 'now'>;
  /** Replaces the API calls (tests of failure paths); default: TokenReview/SubjectAccessReview. */
  reviewApi?: (client: KubeClient) => ReviewApi;
}

export interface RunningRegistryAuth {
  /** Where the TLS front door listens. */
  address: AddressInfo;
  /** Where /metrics is served, if it is. */
  metricsAddress: AddressInfo | undefined;
  registry: Registry;
  /**
   * Reports unready, keeps serving for the shutdown delay (endpoints drop the pod meanwhile), then drains
   * in-flight requests (at most the drain timeout) and closes everything. True when all finished.
   */
  stop(): Promise<boolean>;
}

const certCheckMs = 30_000;

/** Starts the front door and its metrics endpoint. Nothing here is a controller: there is nothing to watch. */
export async function startRegistryAuth(deps: RegistryAuthDeps): Promise<RunningRegistryAuth> {
  const { settings, logger } = deps;
  const registry = new Registry();
  const client = new KubeClient({
    kubeConfig: deps.kubeConfig,
    fieldManager: fieldManagerFor(appName),
    registry,
    logger,
    requestTimeoutMs: settings.reviewTimeoutMs,
    // A request waits on the answer: retries after throttling would only hold the client longer.
    maxRetries: 0,
  });
  const metrics = new ProxyMetrics(registry);
  const reviewer = new Reviewer({
    api: (deps.reviewApi ?? kubeReviewApi)(client),
    metrics,
    clock: deps.clock ?? systemClock,
    allowTtlMs: settings.allowTtlMs,
    denyTtlMs: settings.denyTtlMs,
    maxEntries: settings.cacheSize,
    timeoutMs: settings.reviewTimeoutMs,
  });
  const readPair = () => ({ cert: readFileSync(settings.certFile), key: readFileSync(settings.keyFile) });
  const proxy = new AuthProxy({
    reviewer,
    metrics,
    logger,
    upstream: settings.upstream,
    realm: settings.realm,
    tls: { ...readPair(), minVersion: settings.tls.minVersion, ...(settings.tls.ciphers ? { ciphers: settings.tls.ciphers } : {}) },
    maxHeaderBytes: settings.maxHeaderBytes,
    headersTimeoutMs: 30_000,
    idleTimeoutMs: 300_000,
  });
  const { host, port } = parseBindAddress(settings.listenAddress);
  const address = await proxy.listen(host, port);

  // The serving certificate is rotated in place (a projected Secret): pick it up without a restart.
  const stamp = () => `${statSync(settings.certFile).mtimeMs}/${statSync(settings.keyFile).mtimeMs}`;
  let seen = stamp();
  let stopping = false;
  const certTimer = setInterval(() => {
    try {
      const now = stamp();
      if (now === seen) return;
      proxy.setSecureContext(readPair());
      seen = now;
      logger.info({ certFile: settings.certFile }, 'serving certificate reloaded');
    } catch (err) {
      logger.warn({ err, certFile: settings.certFile }, 'serving certificate not reloaded; keeping the current one');
    }
  }, certCheckMs);
  certTimer.unref();

  let metricsServer: ReturnType<typeof createProbeServer> | undefined;
  let metricsAddress: AddressInfo | undefined;
  if (deps.metricsBindAddress !== '0') {
    const bind = parseBindAddress(deps.metricsBindAddress);
    metricsServer = createProbeServer({
      registry,
      healthy: () => ({ ok: true, failures: [] }),
      ready: () => (stopping ? { ok: false, failures: ['shutting down'] } : { ok: true, failures: [] }),
    });
    await metricsServer.listen({ host: bind.host, port: bind.port });
    metricsAddress = metricsServer.address();
  }
  logger.info({ address: `${address.address}:${address.port}`, upstream: settings.upstream.origin }, 'registry-auth listening');
  return {
    address,
    metricsAddress,
    registry,
    async stop() {
      stopping = true;
      clearInterval(certTimer);
      if (settings.shutdownDelayMs > 0) {
        logger.info({ shutdownDelayMs: settings.shutdownDelayMs }, 'serving on while the endpoints drop this pod');
        await new Promise((r) => setTimeout(r, settings.shutdownDelayMs));
      }
      logger.info({ drainTimeoutMs: settings.drainTimeoutMs }, 'draining: no new connections, waiting for requests in flight');
      const finished = await proxy.stop(settings.drainTimeoutMs);
      if (!finished) logger.warn({ drainTimeoutMs: settings.drainTimeoutMs }, 'requests still in flight at the drain deadline were cut');
      await metricsServer?.close();
      client.close();
      return finished;
    },
  };
}
