import type { V1Container, V1EnvVar, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { containerPort } from './names.ts';
import { containerSecurityContext } from './security.ts';
import type { TlsProfile } from './tls-profile.ts';
import { servingCertMountPath } from './volumes.ts';

/**
 * registry-auth, the registry pod's front door in the distribution flavour (ARCHITECTURE: the
 * registry-workload ↔ registry-auth contract). It takes port 5000 with the serving certificate; the
 * registry moves to plain HTTP on loopback, reachable only from inside the pod.
 */
export const registryAuthContainerName = 'registry-auth';
export const defaultRegistryAuthImage = 'image-registry-operator/registry-auth:latest';
/** Where the registry listens inside the pod once the proxy fronts it. */
export const registryLoopbackAddress = '127.0.0.1:5001';
export const registryAuthMetricsPort = 8080;
const tokenVolumeName = 'registry-auth-token';
const tokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

// The registry's own TLS settings: the proxy terminates TLS now.
const registryTlsEnv = new Set([
  'REGISTRY_HTTP_TLS_CERTIFICATE',
  'REGISTRY_HTTP_TLS_KEY',
  'REGISTRY_HTTP_TLS_MINIMUMTLS',
  'REGISTRY_HTTP_TLS_CIPHERSUITES',
]);

export interface RegistryAuthInput {
  image: string;
  /** The cluster's serving TLS profile (from `spec.observedConfig`), applied by the proxy. */
  tls: TlsProfile;
}

export interface FrontedPod {
  /** The registry container, listening on loopback without TLS. */
  registry: V1Container;
  proxy: V1Container;
  /** The API token only the proxy mounts (the pod keeps automountServiceAccountToken false). */
  volumes: V1Volume[];
}

function env(name: string, value: string): V1EnvVar {
  return { name, value };
}

/** The registry's environment behind the proxy: loopback address, no TLS, and time to drain on SIGTERM. */
function loopbackEnv(registryEnv: V1EnvVar[]): V1EnvVar[] {
  const out = registryEnv
    .filter((e) => !registryTlsEnv.has(e.name))
    .map((e) => (e.name === 'REGISTRY_HTTP_ADDR' ? env(e.name, registryLoopbackAddress) : e));
  out.push(env('REGISTRY_HTTP_DRAINTIMEOUT', '25s'));
  return out;
}

/** The API token, CA and namespace, as the kubelet would mount them, for the proxy container only. */
function tokenVolume(): V1Volume {
  return {
    name: tokenVolumeName,
    projected: {
      sources: [
        { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/** Puts registry-auth in front of the registry container (pure). */
export function withRegistryAuth(registry: V1Container, input: RegistryAuthInput): FrontedPod {
  const tlsMount = (registry.volumeMounts ?? []).find((m) => m.mountPath === servingCertMountPath);
  const mounts: V1VolumeMount[] = [{ name: tokenVolumeName, mountPath: tokenMountPath, readOnly: true }];
  if (tlsMount) mounts.unshift({ ...tlsMount, readOnly: true });
  const proxyEnv = [
    env('IRO_LISTEN_ADDRESS', `:${containerPort}`),
    env('IRO_UPSTREAM', `http://${registryLoopbackAddress}`),
    env('IRO_TLS_CERT_FILE', `${servingCertMountPath}/tls.crt`),
    env('IRO_TLS_KEY_FILE', `${servingCertMountPath}/tls.key`),
    env('IRO_METRICS_BIND_ADDRESS', `:${registryAuthMetricsPort}`),
    // Like the registry's 25 s preStop sleep, but in the process: the image needs no `sleep` binary.
    env('IRO_SHUTDOWN_DELAY', '25s'),
  ];
  if (input.tls.minTLSVersion) proxyEnv.push(env('IRO_TLS_MIN_VERSION', input.tls.minTLSVersion));
  if (input.tls.cipherSuites) proxyEnv.push(env('IRO_TLS_CIPHER_SUITES', input.tls.cipherSuites.join(',')));
  const health = (path: string) => ({ httpGet: { path, port: registryAuthMetricsPort, scheme: 'HTTP' }, timeoutSeconds: 5 });
  const proxy: V1Container = {
    name: registryAuthContainerName,
    image: input.image,
    ports: [
      { containerPort, protocol: 'TCP' },
      { name: 'auth-metrics', containerPort: registryAuthMetricsPort, protocol: 'TCP' },
    ],
    env: proxyEnv,
    livenessProbe: { ...health('/healthz'), initialDelaySeconds: 5 },
    readinessProbe: health('/readyz'),
    // Measured idle RSS 74 MiB (the side-by-side bench, issue #19): the request sits just above it.
    resources: { requests: { cpu: '50m', memory: '80Mi' } },
    terminationMessagePolicy: 'FallbackToLogsOnError',
    securityContext: containerSecurityContext(),
    volumeMounts: mounts,
  };
  const { ports: _ports, ...rest } = registry;
  return { registry: { ...rest, env: loopbackEnv(registry.env ?? []) }, proxy, volumes: [tokenVolume()] };
}
