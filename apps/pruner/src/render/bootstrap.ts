import { imagePrunerGroupVersion, type ImagePrunerSpec } from '@image-registry/api';
import type { KubeObject } from '@image-registry/controller-runtime';
import { prunerName } from './names.ts';

/** Upstream's ImagePruner/cluster (§10.1); logLevel comes from the CRD default, schedule stays empty. */
export const bootstrapSpec = {
  suspend: false,
  keepTagRevisions: 3,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 3,
  ignoreInvalidImageReferences: true,
} as const satisfies Partial<ImagePrunerSpec>;

export function renderBootstrapPruner(): KubeObject & { spec: typeof bootstrapSpec } {
  return { apiVersion: imagePrunerGroupVersion, kind: 'ImagePruner', metadata: { name: prunerName }, spec: { ...bootstrapSpec } };
}
