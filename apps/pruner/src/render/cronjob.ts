import { canonicalResources, storedForm, type ImagePrunerSpec } from '@image-registry/api';
import type { V1Container, V1CronJob, V1PodSpec, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { jobCommand } from './job-command.ts';
import type { JobFlavour } from './job-flavour.ts';
import {
  cronJobName,
  jobLabels,
  podLabels,
  serviceAccountName,
  serviceCAConfigMapName,
  serviceCAMountPath,
} from './names.ts';
import { prunerOwnerReference } from './owner.ts';
import type { RegistryStorageMounts } from './registry-storage.ts';
import type { Wire } from './wire.ts';

export const defaultSchedule = '0 0 * * *';
export const startingDeadlineSeconds = 3600;
export const defaultResources = { requests: { cpu: '100m', memory: '256Mi' } };
/** Where the init container leaves the registry binary for `garbage-collect`. */
export const registryBinaryDir = '/var/run/registry-binary';
export const registryBinaryPath = `${registryBinaryDir}/registry`;

export interface CronJobInput {
  namespace: string;
  ownerUid: string;
  flavour: JobFlavour;
  /** The job's image: the cli image (`IMAGE_PRUNER`) for oc, this app's image for our command. */
  image: string;
  spec: ImagePrunerSpec;
  internalRegistryHostname: string | undefined;
  managementState: string | undefined;
  /** Our command only: the registry's image and storage volumes, for garbage collection. */
  registry: RegistryStorageMounts | undefined;
}

/** CronJob `image-pruner` with every field upstream sets (§10.3). */
export function renderCronJob(input: CronJobInput): Wire<V1CronJob> {
  const { spec } = input;
  const { command, args } = jobCommand(input.flavour, input, input.namespace);
  const volumes: V1Volume[] = [{ name: 'serviceca', configMap: { name: serviceCAConfigMapName } }];
  const mounts: V1VolumeMount[] = [{ name: 'serviceca', mountPath: serviceCAMountPath, readOnly: true }];
  const initContainers: V1Container[] = [];
  if (input.flavour === 'registry-api') {
    // The root filesystem is read-only: garbage-collect's configuration file goes to /tmp.
    volumes.push({ name: 'tmp', emptyDir: {} });
    mounts.push({ name: 'tmp', mountPath: '/tmp' });
    if (input.registry) {
      volumes.push({ name: 'registry-binary', emptyDir: {} }, ...input.registry.volumes);
      mounts.push({ name: 'registry-binary', mountPath: registryBinaryDir, readOnly: true }, ...input.registry.mounts);
      // The same registry build as the running one: garbage-collect must read what it wrote.
      initContainers.push({
        name: 'registry-binary',
        image: input.registry.image,
        command: ['cp', '/bin/registry', registryBinaryPath],
        volumeMounts: [{ name: 'registry-binary', mountPath: registryBinaryDir }],
        resources: { requests: { cpu: '10m', memory: '16Mi' } },
        securityContext: { readOnlyRootFilesystem: true },
        terminationMessagePolicy: 'FallbackToLogsOnError',
      });
    }
  }
  const container: V1Container = {
    name: cronJobName,
    image: input.image,
    // The admin's quantities as the server stores them (`0.5` is `500m`): else every apply is a write.
    resources: spec.resources ? (canonicalResources(spec.resources) as V1Container['resources']) : defaultResources,
    terminationMessagePolicy: 'FallbackToLogsOnError',
    securityContext: { readOnlyRootFilesystem: true },
    command,
    args,
    volumeMounts: mounts,
  };
  const podSpec: V1PodSpec = {
    restartPolicy: 'Never',
    serviceAccountName,
    priorityClassName: 'system-cluster-critical',
    affinity: spec.affinity ? storedForm(spec.affinity as V1PodSpec['affinity']) : {},
    // The API server drops an empty map or list (omitempty): sending one made every apply look like a
    // change to applyIsNoop, a CronJob patch on every pass (issue #19).
    ...nonEmpty('nodeSelector', spec.nodeSelector),
    ...nonEmpty('tolerations', spec.tolerations ? storedForm(spec.tolerations as V1PodSpec['tolerations']) : undefined),
    ...(initContainers.length > 0 ? { initContainers } : {}),
    containers: [container],
    volumes,
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: cronJobName, namespace: input.namespace, ownerReferences: [prunerOwnerReference(input.ownerUid)] },
    spec: {
      suspend: spec.suspend ?? false,
      schedule: spec.schedule || defaultSchedule,
      concurrencyPolicy: 'Forbid',
      failedJobsHistoryLimit: spec.failedJobsHistoryLimit ?? 3,
      successfulJobsHistoryLimit: spec.successfulJobsHistoryLimit ?? 3,
      startingDeadlineSeconds,
      jobTemplate: {
        metadata: { labels: { ...jobLabels } },
        spec: {
          backoffLimit: 0,
          template: {
            metadata: {
              labels: { ...podLabels },
              annotations: { 'openshift.io/required-scc': 'restricted-v2' },
            },
            spec: podSpec,
          },
        },
      },
    },
  } as Wire<V1CronJob>;
}

/** `{ [key]: value }` unless the value is absent or empty, which the server would not store. */
function nonEmpty<K extends string, V extends object>(key: K, value: V | undefined): Partial<Record<K, V>> {
  if (value === undefined || Object.keys(value).length === 0) return {};
  return { [key]: value } as Partial<Record<K, V>>;
}
