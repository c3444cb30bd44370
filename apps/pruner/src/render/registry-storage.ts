import type { V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { registryContainerName } from './names.ts';

/** What the prune job borrows from the registry's pod to garbage-collect the same storage. */
export interface RegistryStorageMounts {
  image: string;
  volumes: V1Volume[];
  mounts: V1VolumeMount[];
}

/** The registry Deployment as the controller's cache holds it (raw JSON). */
export interface RegistryDeploymentView {
  spec?: {
    template?: {
      spec?: {
        volumes?: V1Volume[];
        containers?: { name: string; image?: string; volumeMounts?: V1VolumeMount[] }[];
      };
    };
  };
}

/**
 * The registry container's image and the volumes that reach its storage: claims (PVC storage). Files
 * from the private configuration Secret (S3 credentials, GCS key) the job reads through the API
 * instead; nothing else of the registry pod (its serving key above all) goes into the job. Undefined
 * without a Deployment: then nothing is collected.
 */
export function registryStorageMounts(deployment: RegistryDeploymentView | undefined): RegistryStorageMounts | undefined {
  const pod = deployment?.spec?.template?.spec;
  const container = pod?.containers?.find((c) => c.name === registryContainerName);
  if (!container?.image) return undefined;
  const wanted = (pod?.volumes ?? []).filter((v) => v.persistentVolumeClaim !== undefined);
  const names = new Set(wanted.map((v) => v.name));
  return {
    image: container.image,
    volumes: wanted,
    mounts: (container.volumeMounts ?? []).filter((m) => names.has(m.name)),
  };
}
