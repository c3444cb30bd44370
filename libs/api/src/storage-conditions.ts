import type { configConditionTypes } from './condition-types.ts';

type StorageConditionType = (typeof configConditionTypes.storage)[number];

/** The storage app's Config condition types by role; registry-workload waits on `exists`. */
export const storageConditionTypes = {
  exists: 'StorageExists',
  encrypted: 'StorageEncrypted',
  tagged: 'StorageTagged',
  labeled: 'StorageLabeled',
  publicAccessBlocked: 'StoragePublicAccessBlocked',
  incompleteUploadCleanup: 'StorageIncompleteUploadCleanupEnabled',
  degraded: 'StorageControllerDegraded',
} as const satisfies Record<string, StorageConditionType>;
