import type { V1EnvVar } from '@kubernetes/client-node';
import type { RegistrySpec, RequestsLimits } from './config.ts';
import { InvalidConfigError } from './errors.ts';
import type { RegistryFlavour } from './flavour.ts';
import { normalizeDuration } from './go-duration.ts';
import { registryLogLevel } from './log-level.ts';
import { certificatesMountPath, servingCertMountPath, trustedCAMountPath } from './volumes.ts';
import { containerPort, registryName } from './names.ts';
import { distributionMinimumTls, tlsProfile } from './tls-profile.ts';

/** The cluster-wide Proxy's effective values (`proxies.config.openshift.io/cluster` status), if any. */
export interface ClusterProxy {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

export interface EnvInput {
  spec: RegistrySpec;
  flavour: RegistryFlavour;
  namespace: string;
  /** Storage variables from `status.storage`; they come first, as upstream. */
  storageEnv: V1EnvVar[];
  clusterProxy?: ClusterProxy | undefined;
}

function env(name: string, value: string): V1EnvVar {
  return { name, value };
}

function limitsEnv(kind: 'read' | 'write', limits: RequestsLimits | undefined): V1EnvVar[] {
  const label = kind === 'read' ? 'Read' : 'Write';
  const maxRunning = limits?.maxRunning ?? 0;
  const maxInQueue = limits?.maxInQueue ?? 0;
  if (maxRunning < 0) {
    throw new InvalidConfigError(
      `spec.requests.${kind}.maxRunning`,
      `Requests.${label}.MaxRunning must be positive number: set it to 0 (no limit) or more`,
    );
  }
  if (maxInQueue < 0) {
    throw new InvalidConfigError(
      `spec.requests.${kind}.maxInQueue`,
      `Requests.${label}.MaxInQueue must be positive number: set it to 0 (no limit) or more`,
    );
  }
  const wait = normalizeDuration(`spec.requests.${kind}.maxWaitInQueue`, limits?.maxWaitInQueue);
  if (maxRunning === 0 && maxInQueue === 0) return [];
  const prefix = `REGISTRY_OPENSHIFT_REQUESTS_${kind.toUpperCase()}`;
  return [
    env(`${prefix}_MAXRUNNING`, String(maxRunning)),
    env(`${prefix}_MAXINQUEUE`, String(maxInQueue)),
    env(`${prefix}_MAXWAITINQUEUE`, wait),
  ];
}

/** `spec.proxy` wins field by field over the cluster Proxy; empty values mean "not set". */
function proxyEnv(spec: RegistrySpec, cluster: ClusterProxy | undefined): V1EnvVar[] {
  const pick: [string, string | undefined, string | undefined][] = [
    ['HTTP_PROXY', spec.proxy?.http, cluster?.httpProxy],
    ['HTTPS_PROXY', spec.proxy?.https, cluster?.httpsProxy],
    ['NO_PROXY', spec.proxy?.noProxy, cluster?.noProxy],
  ];
  return pick.flatMap(([name, own, clusterValue]) => {
    const v = own || clusterValue;
    return v ? [env(name, v)] : [];
  });
}

/**
 * The registry container's environment, in upstream's order (upstream-inventory §5.8). The
 * `distribution` flavour leaves out what CNCF distribution does not understand (`REGISTRY_OPENSHIFT_*`,
 * request limits) and spells TLS settings its own way.
 */
export function registryEnv(input: EnvInput): V1EnvVar[] {
  const { spec, flavour, namespace } = input;
  const openshift = flavour === 'openshift';
  // Validate request limits for both flavours: bad input is reported the same way everywhere.
  const requests = [...limitsEnv('read', spec.requests?.read), ...limitsEnv('write', spec.requests?.write)];
  const tls = tlsProfile(spec.observedConfig);
  const out: V1EnvVar[] = [
    ...input.storageEnv,
    env('REGISTRY_HTTP_ADDR', `:${containerPort}`),
    env('REGISTRY_HTTP_NET', 'tcp'),
    env('REGISTRY_HTTP_SECRET', spec.httpSecret ?? ''),
    env('REGISTRY_LOG_LEVEL', registryLogLevel(spec.logLevel, spec.logging)),
  ];
  if (openshift) out.push(env('REGISTRY_OPENSHIFT_QUOTA_ENABLED', 'true'));
  out.push(
    env('REGISTRY_STORAGE_CACHE_BLOBDESCRIPTOR', 'inmemory'),
    env('REGISTRY_STORAGE_DELETE_ENABLED', 'true'),
    env('REGISTRY_HEALTH_STORAGEDRIVER_ENABLED', 'true'),
    env('REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL', '10s'),
    env('REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD', '1'),
  );
  if (openshift) {
    out.push(
      env('REGISTRY_OPENSHIFT_METRICS_ENABLED', 'true'),
      env('REGISTRY_OPENSHIFT_SERVER_ADDR', `${registryName}.${namespace}.svc:${containerPort}`),
    );
  }
  if (spec.readOnly) out.push(env('REGISTRY_STORAGE_MAINTENANCE_READONLY', '{enabled: true}'));
  if (spec.disableRedirect) out.push(env('REGISTRY_STORAGE_REDIRECT_DISABLE', 'true'));
  out.push(...proxyEnv(spec, input.clusterProxy));
  if (openshift) out.push(...requests);
  out.push(
    env('REGISTRY_HTTP_TLS_CERTIFICATE', `${servingCertMountPath}/tls.crt`),
    env('REGISTRY_HTTP_TLS_KEY', `${servingCertMountPath}/tls.key`),
  );
  if (openshift) {
    if (tls.minTLSVersion) out.push(env('REGISTRY_HTTP_TLS_MINVERSION', tls.minTLSVersion));
    if (tls.cipherSuites) out.push(env('OPENSHIFT_REGISTRY_HTTP_TLS_CIPHERSUITES', tls.cipherSuites.join(',')));
  } else {
    const minimum = tls.minTLSVersion ? distributionMinimumTls(tls.minTLSVersion) : undefined;
    if (minimum) out.push(env('REGISTRY_HTTP_TLS_MINIMUMTLS', minimum));
    if (tls.cipherSuites && minimum !== 'tls1.3') {
      out.push(env('REGISTRY_HTTP_TLS_CIPHERSUITES', `[${tls.cipherSuites.join(', ')}]`));
    }
    // Go reads extra trust anchors from these directories (the OpenShift image runs update-ca-trust
    // instead): the node-ca app's image-registry-certificates, then the image's own store.
    out.push(env('SSL_CERT_DIR', `${certificatesMountPath}:${trustedCAMountPath}/anchors:/etc/ssl/certs`));
  }
  return out;
}
