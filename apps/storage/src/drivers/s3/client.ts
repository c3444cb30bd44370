import https from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import { http } from '@image-registry/controller-runtime';
import type { S3Credentials } from '../../credentials/s3.ts';
import { namingProxy } from '../proxy-errors.ts';
import type { ClusterFacts } from '../../cluster.ts';
import type { S3Storage } from '../../storage-types.ts';
import { webIdentityProvider } from './web-identity.ts';

/** The slice of S3Client the driver uses: one generic `send`, so tests can answer per command. */
export interface S3Api {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy?(): void;
}

export interface S3ClientSettings {
  region: string;
  /** Absent: the SDK's endpoint for the region. */
  endpoint: string | undefined;
  forcePathStyle: boolean;
  credentials: S3Credentials;
  /** PEM bundle from `trustedCA`; when set, it replaces the system roots as upstream does. */
  caBundle: string | undefined;
  /** `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` (either case): the process's, or the cluster Proxy's. */
  proxyEnv: Readonly<Record<string, string | undefined>>;
  /** STS endpoint for web identity (default: the SDK's regional endpoint, or `AWS_ENDPOINT_URL_STS`). */
  stsEndpoint: string | undefined;
}

export const defaultRegion = 'us-east-1';

/** `https://` is assumed when the endpoint has no scheme, as the registry's S3 driver does. */
export function normalizeEndpoint(endpoint: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
}

/** Client settings for a config: region, endpoint (spec, else the platform's), path style. */
export function s3ClientSettings(
  config: S3Storage,
  cluster: ClusterFacts,
  rest: Pick<S3ClientSettings, 'credentials' | 'caBundle' | 'proxyEnv' | 'stsEndpoint'>,
): S3ClientSettings {
  const configured = config.regionEndpoint || cluster.aws.serviceEndpoints.find((e) => e.name === 's3')?.url;
  return {
    region: config.region || defaultRegion,
    endpoint: configured ? normalizeEndpoint(configured) : undefined,
    forcePathStyle: Boolean(config.regionEndpoint) && !config.virtualHostedStyle,
    ...rest,
  };
}

/** Node's agents tunnel through the proxy of `proxyEnv` and honour its NO_PROXY (Node 24 `proxyEnv`). */
export function proxiedAgents(proxyEnv: S3ClientSettings['proxyEnv'], ca: string | undefined) {
  const env = Object.fromEntries(
    Object.entries(proxyEnv).filter(([, v]) => v !== undefined),
  ) as NodeJS.ProcessEnv;
  return {
    httpAgent: new http.Agent({ keepAlive: true, proxyEnv: env }),
    httpsAgent: new https.Agent({ keepAlive: true, proxyEnv: env, ...(ca ? { ca } : {}) }),
  };
}

export function defaultS3Client(s: S3ClientSettings): S3Api {
  const custom = s.endpoint !== undefined;
  const agents = proxiedAgents(s.proxyEnv, s.caBundle);
  const c = s.credentials;
  const client = new S3Client({
    region: s.region,
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    forcePathStyle: s.forcePathStyle,
    credentials:
      c.kind === 'static'
        ? {
            accessKeyId: c.accessKeyId,
            secretAccessKey: c.secretAccessKey,
            ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
          }
        : webIdentityProvider({ ...c, region: s.region, endpoint: s.stsEndpoint, agents }),
    maxAttempts: 3,
    customUserAgent: 'image-registry-operator/storage',
    // S3-compatible endpoints often reject the newer default checksums; send them only when required.
    ...(custom
      ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000, ...agents },
  });
  return {
    send: (command, options) =>
      client.send(command as never, options).catch((err: unknown) => {
        throw namingProxy(err, s.proxyEnv);
      }),
    destroy: () => client.destroy(),
  };
}
