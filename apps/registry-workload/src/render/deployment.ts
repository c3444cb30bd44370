import { canonicalResources, storedForm } from '@image-registry/api';
import type { V1Container, V1Deployment, V1Probe } from '@kubernetes/client-node';
import { affinityFor } from './affinity.ts';
import { dependenciesChecksum, podDependencies, type DependencyContent } from './checksum.ts';
import type { RegistryConfig } from './config.ts';
import { registryEnv, type ClusterProxy } from './env.ts';
import { defaultRegistryAuthImage, withRegistryAuth } from './registry-auth.ts';
import { InvalidConfigError } from './errors.ts';
import type { RegistryFlavour } from './flavour.ts';
import { annotations, containerName, containerPort, registryLabels, registryName, serviceAccountName } from './names.ts';
import { deploymentOverrides } from './overrides.ts';
import { configOwnerReference } from './owner.ts';
import { containerSecurityContext, podSecurityContext } from './security.ts';
import type { StorageRender } from './storage-env.ts';
import { deploymentStrategy } from './strategy.ts';
import { tlsProfile } from './tls-profile.ts';
import { topologySpread } from './topology.ts';
import { registryVolumes } from './volumes.ts';
import type { Wire } from './wire.ts';

export interface DeploymentInput {
  config: RegistryConfig;
  namespace: string;
  flavour: RegistryFlavour;
  image: string;
  /** The registry-auth proxy's image (distribution flavour); default image-registry-operator/registry-auth:latest. */
  authImage?: string | undefined;
  /** Stamped as `release.openshift.io/version` (the status app reports it once rolled out). */
  releaseVersion?: string | undefined;
  storage: StorageRender;
  clusterProxy?: ClusterProxy | undefined;
  /** Whether any Node carries `topology.kubernetes.io/zone` (adds a zone spread constraint). */
  nodesHaveZones: boolean;
  /** Annotations of the operand namespace (OpenShift's SCC ranges live there). */
  namespaceAnnotations?: Record<string, string> | undefined;
  /** Current content of the ConfigMaps and Secrets the pod reads, for the rollout checksum. */
  dependencies: {
    configMap(name: string): DependencyContent | undefined;
    secret(name: string): DependencyContent | undefined;
  };
}

const openshiftCommand = [
  '/bin/sh',
  '-c',
  'mkdir -p /etc/pki/ca-trust/extracted/edk2 /etc/pki/ca-trust/extracted/java /etc/pki/ca-trust/extracted/openssl /etc/pki/ca-trust/extracted/pem && update-ca-trust extract --output /etc/pki/ca-trust/extracted/ && exec /usr/bin/dockerregistry',
];
/** The CNCF image's binary with the configuration file it ships; every setting that matters comes from the environment. */
export const distributionCommand = ['/bin/registry', 'serve', '/etc/distribution/config.yml'];

function probe(path: string, initialDelaySeconds: number): V1Probe {
  return { httpGet: { path, port: containerPort, scheme: 'HTTPS' }, timeoutSeconds: 5, initialDelaySeconds };
}

/** `spec.replicas`, checked: the API allows any int32, the registry does not. */
export function desiredReplicas(config: RegistryConfig): number {
  const replicas = config.spec.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw new InvalidConfigError(
      'spec.replicas',
      `replicas must be greater than or equal to 0, not ${replicas}; set it to 0 or more`,
    );
  }
  return replicas;
}

/** Deployment `image-registry` (upstream-inventory §5). Pure; throws InvalidConfigError on bad input. */
export function renderDeployment(input: DeploymentInput): Wire<V1Deployment> {
  const { config, namespace, flavour } = input;
  const spec = config.spec;
  const replicas = desiredReplicas(config);
  const overrides = deploymentOverrides(spec.unsupportedConfigOverrides);
  const openshift = flavour === 'openshift';
  // Probes of the distribution flavour use `/`: CNCF distribution answers it only when healthy.
  const healthPath = openshift ? '/healthz' : '/';
  const fixed = registryVolumes(flavour);

  const container: V1Container = {
    name: containerName,
    image: input.image,
    command: openshift ? openshiftCommand : distributionCommand,
    ports: [{ containerPort, protocol: 'TCP' }],
    env: registryEnv({
      spec,
      flavour,
      namespace,
      storageEnv: input.storage.env,
      clusterProxy: input.clusterProxy,
    }),
    livenessProbe: probe(healthPath, 5),
    readinessProbe: probe(healthPath, 15),
    // As the server stores them: `0.5` comes back `500m`, and a copy made every apply look like a change.
    resources: spec.resources ? canonicalResources(spec.resources) : { requests: { cpu: '100m', memory: '256Mi' } },
    lifecycle: { preStop: { exec: { command: ['sleep', '25'] } } },
    terminationMessagePolicy: 'FallbackToLogsOnError',
    securityContext: containerSecurityContext(),
    volumeMounts: [...input.storage.mounts, ...fixed.map((p) => p.mount)],
  };

  const nodeSelector = { ...spec.nodeSelector };
  if (!('kubernetes.io/os' in nodeSelector)) nodeSelector['kubernetes.io/os'] = 'linux';

  const podSpec: NonNullable<NonNullable<V1Deployment['spec']>['template']['spec']> = {
    serviceAccountName,
    priorityClassName: 'system-cluster-critical',
    terminationGracePeriodSeconds: 55,
    nodeSelector,
    securityContext: podSecurityContext(input.namespaceAnnotations),
    topologySpreadConstraints: topologySpread(spec, input.nodesHaveZones),
    containers: [container],
    volumes: [...input.storage.volumes, ...fixed.map((p) => p.volume)],
  };
  if (!openshift) {
    // The distribution registry has no auth of its own: registry-auth fronts it (OpenShift's authenticates itself).
    const fronted = withRegistryAuth(container, { image: input.authImage ?? defaultRegistryAuthImage, tls: tlsProfile(spec.observedConfig) });
    podSpec.containers = [fronted.registry, fronted.proxy];
    podSpec.volumes = [...(podSpec.volumes ?? []), ...fronted.volumes];
  }
  // The CNCF registry never calls the Kubernetes API; OpenShift's reads image streams with its token.
  if (!openshift) podSpec.automountServiceAccountToken = false;
  if (spec.tolerations?.length) podSpec.tolerations = storedForm(spec.tolerations);
  const affinity = affinityFor(spec.affinity && storedForm(spec.affinity), replicas, namespace);
  if (affinity) podSpec.affinity = affinity;
  if (overrides.runtimeClassName) podSpec.runtimeClassName = overrides.runtimeClassName;

  const checksum = dependenciesChecksum(podDependencies(podSpec), input.dependencies);
  const deploymentAnnotations: Record<string, string> = { ...overrides.annotations };
  if (input.releaseVersion) deploymentAnnotations[annotations.releaseVersion] = input.releaseVersion;

  const metadata: Wire<V1Deployment>['metadata'] = {
    name: registryName,
    namespace,
    labels: { ...registryLabels },
    ownerReferences: [configOwnerReference(config.metadata.uid ?? '', config.metadata.name)],
  };
  if (Object.keys(deploymentAnnotations).length > 0) metadata.annotations = deploymentAnnotations;

  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas,
      progressDeadlineSeconds: 120,
      selector: { matchLabels: { ...registryLabels } },
      strategy: deploymentStrategy(spec.rolloutStrategy, replicas),
      template: {
        metadata: {
          labels: { ...registryLabels },
          annotations: {
            [annotations.workloadManagement]: '{"effect": "PreferredDuringScheduling"}',
            [annotations.dependenciesChecksum]: checksum,
            [annotations.requiredSCC]: 'restricted-v2',
            ...overrides.annotations,
          },
        },
        spec: podSpec,
      },
    },
  };
}
