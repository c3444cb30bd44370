import type { EmptyDirStorage } from '../storage-types.ts';
import {
  storageExistsCondition,
  type Completion,
  type CreateResult,
  type ExistsResult,
  type RemoveResult,
  type StorageDriver,
} from './driver.ts';

export const emptyDirMessage =
  'EmptyDir storage successfully created. Images are lost whenever a registry pod restarts or moves; ' +
  'configure persistent storage (spec.storage) for anything but a test cluster.';

/** Nothing to provision: each registry pod gets an empty volume. */
export class EmptyDirDriver implements StorageDriver<'emptyDir'> {
  readonly backend = 'emptyDir' as const;
  readonly displayName = 'EmptyDir';

  completeConfiguration(spec: EmptyDirStorage): Completion<EmptyDirStorage> {
    return { config: { ...spec }, generatedName: true };
  }

  id(): string {
    return '';
  }

  storageExists(): Promise<ExistsResult> {
    return Promise.resolve({
      exists: true,
      condition: storageExistsCondition('True', 'Creation Successful', emptyDirMessage),
    });
  }

  createStorage(config: EmptyDirStorage): Promise<CreateResult<EmptyDirStorage>> {
    return Promise.resolve({
      config: { ...config },
      conditions: [storageExistsCondition('True', 'Creation Successful', emptyDirMessage)],
      created: false,
    });
  }

  removeStorage(): Promise<RemoveResult> {
    return Promise.resolve({
      condition: storageExistsCondition('False', 'Removed', 'EmptyDir storage has nothing to remove.'),
    });
  }

  privateConfiguration(): Record<string, string> {
    return {};
  }
}
