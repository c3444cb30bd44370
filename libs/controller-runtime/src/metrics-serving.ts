import type { Logger } from 'pino';
import type { ProbeServer, ProbeServerOptions } from './http-server.ts';
import type { KubeClient } from './kube-client.ts';
import { MetricsAuthorizer } from './metrics-auth.ts';
import { servingPair } from './metrics-tls.ts';

/**
 * Who may read /metrics. `kubernetes`: a bearer token that TokenReview accepts and whose user may `get`
 * the non-resource URL /metrics, over TLS. `none`: anyone, plain HTTP. `auto` (the default): `kubernetes`
 * unless the server listens on loopback only, where nothing outside the pod or host can reach it (the
 * local run, tests, benches).
 */
export type MetricsAuthMode = 'auto' | 'kubernetes' | 'none';

export const metricsAuthModes: readonly MetricsAuthMode[] = ['auto', 'kubernetes', 'none'];

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Whether scrapes must authenticate, for a mode and the host the server binds. */
export function metricsAuthRequired(mode: MetricsAuthMode, bindHost: string): boolean {
  return mode === 'kubernetes' || (mode === 'auto' && !isLoopback(bindHost));
}

export interface SecureMetrics {
  /** Spread into createProbeServer's options. */
  server: Pick<ProbeServerOptions, 'tls' | 'authorizeMetrics'>;
  /** Starts reloading a mounted certificate into the listening server; returns the stop function. */
  attach(server: ProbeServer): () => void;
}

/** TLS and TokenReview/SubjectAccessReview for the probe server's /metrics. */
export async function secureMetrics(opts: { name: string; client: KubeClient; logger: Logger; certDir: string }): Promise<SecureMetrics> {
  const serving = await servingPair({ certDir: opts.certDir, commonName: `image-registry-${opts.name}-metrics`, logger: opts.logger });
  const authorizer = new MetricsAuthorizer({ client: opts.client, logger: opts.logger });
  opts.logger.info({ tls: serving.source }, 'metrics need a bearer token allowed to get /metrics (TokenReview, SubjectAccessReview)');
  return {
    server: { tls: serving.pair, authorizeMetrics: (header) => authorizer.authorize(header) },
    attach: (server) => serving.watch((pair) => server.setSecureContext(pair)),
  };
}
