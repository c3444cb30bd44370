import type { AppName } from './names.ts';

/**
 * Condition types and the app that owns each. Only the owner applies a type; the others read it. Types
 * ending in Available, Progressing or Degraded are unioned into ClusterOperator image-registry.
 */
export const configConditionTypes = {
  // ReadOnlyWindow: the answer to the prune job's ReadOnlyWindowRequested (read-only-window.ts).
  'registry-workload': ['Available', 'Progressing', 'Degraded', 'Removed', 'ReadOnlyWindow'],
  storage: [
    'StorageExists',
    'StorageEncrypted',
    'StorageTagged',
    'StorageLabeled',
    'StoragePublicAccessBlocked',
    'StorageIncompleteUploadCleanupEnabled',
    'StorageControllerDegraded',
  ],
  routes: ['ImageConfigControllerDegraded', 'RoutesControllerDegraded'],
  'node-ca': [
    'NodeCADaemonAvailable',
    'NodeCADaemonProgressing',
    'NodeCADaemonControllerDegraded',
    'ImageRegistryCertificatesControllerDegraded',
  ],
  'pull-secrets': ['PullSecretsControllerDegraded'],
  // Applied by the prune job, which runs as the pruner app's job (read-only-window.ts).
  pruner: ['ReadOnlyWindowRequested'],
} as const satisfies Partial<Record<AppName, readonly string[]>>;

export type ConfigConditionType = (typeof configConditionTypes)[keyof typeof configConditionTypes][number];

/**
 * ImagePruner conditions, all owned by the pruner app. Degraded is not in the architecture table but
 * upstream writes it, and it is what turns a failed prune job into `ImagePrunerDegraded`.
 */
export const imagePrunerConditionTypes = ['Available', 'Scheduled', 'Failed', 'Degraded'] as const;
export type ImagePrunerConditionType = (typeof imagePrunerConditionTypes)[number];

/** The ClusterOperator conditions the status app writes. */
export const clusterOperatorConditionTypes = ['Available', 'Progressing', 'Degraded'] as const;

/** The owner of a Config condition type, or undefined for a type no app writes. */
export function configConditionOwner(type: string): AppName | undefined {
  for (const [app, types] of Object.entries(configConditionTypes) as [AppName, readonly string[]][]) {
    if (types.includes(type)) return app;
  }
  return undefined;
}
