import { singletonName } from '@image-registry/api';
import type { Condition, DesiredCondition } from '@image-registry/conditions';
import type { Clock, KubeClient, KubeObject } from '@image-registry/controller-runtime';
import { ownedConditionTypes } from './drivers/driver.ts';
import { configStatusApply } from './render/config-apply.ts';
import { ConfigResource, type ConfigObject } from './resources.ts';
import type { StorageSpec } from './storage-types.ts';

export type ConfigRaw = ConfigObject & { metadata: NonNullable<KubeObject['metadata']> };

/** This app's part of the Config status. */
export interface Written {
  conditions: Condition[];
  storage: StorageSpec;
}

/**
 * Writes this app's part of `Config/cluster` status (its conditions, `status.storage`,
 * `status.storageManaged`) and remembers what it wrote. This app is the only writer of these fields,
 * and the informer cache can lag behind its own writes: carrying conditions or `status.storage` over
 * from a stale cache would undo them, so the last write of this process wins over the cache.
 */
export class StatusWriter {
  private readonly client: KubeClient;
  private readonly clock: Clock;
  private last: { uid: string; status: Written; object: ConfigRaw } | undefined;

  constructor(opts: { client: KubeClient; clock: Clock }) {
    this.client = opts.client;
    this.clock = opts.clock;
  }

  /** This app's part of the status: as last written by this process, else as cached. */
  written(raw: ConfigRaw): Written {
    if (this.last && this.last.uid === raw.metadata.uid) return this.last.status;
    const ours = (raw.status?.conditions ?? []).filter((c) => ownedConditionTypes.includes(c.type));
    return { conditions: ours, storage: (raw.status?.storage as StorageSpec | undefined) ?? {} };
  }

  /** This app's current conditions except `except`, to publish unchanged. */
  carried(raw: ConfigRaw, except: readonly string[]): DesiredCondition[] {
    return this.written(raw)
      .conditions.filter((c) => !except.includes(c.type))
      .map((c) => ({ type: c.type, status: c.status, reason: c.reason ?? '', message: c.message ?? '' }));
  }

  /** Applies exactly these conditions (others of ours are dropped) and this `status.storage`. */
  async apply(raw: ConfigRaw, conditions: readonly DesiredCondition[], storage: StorageSpec): Promise<void> {
    const written = this.written(raw);
    if (Object.keys(storage).length === 0 && Object.keys(written.storage).length > 0) {
      // Server-side apply turns a map emptied of this manager's fields into null, which the schema
      // rejects. So: the conditions first (observers never see storage cleared with stale conditions),
      // then clear the map with a JSON patch (this app is its only writer), then apply the empty map.
      await this.applyOnce(raw, conditions, written.storage);
      await this.client.patch(
        ConfigResource,
        { name: singletonName },
        [
          { op: 'add', path: '/status/storage', value: {} },
          { op: 'add', path: '/status/storageManaged', value: false },
        ],
        { type: 'json', subresource: 'status' },
      );
    }
    await this.applyOnce(raw, conditions, storage);
  }

  private async applyOnce(
    raw: ConfigRaw,
    conditions: readonly DesiredCondition[],
    storage: StorageSpec,
  ): Promise<void> {
    const written = this.written(raw);
    const body = configStatusApply({
      current: written.conditions,
      conditions,
      storage,
      now: new Date(this.clock.now()),
    });
    // Our own last answer is the freshest view of our fields for the no-op check.
    const last = this.last;
    const current = last && last.uid === raw.metadata.uid ? last.object : raw;
    const applied = (await this.client.applyStatus(ConfigResource, body, { current })) as ConfigRaw;
    const uid = applied.metadata?.uid ?? raw.metadata.uid;
    if (uid)
      this.last = { uid, status: { conditions: body.status?.conditions ?? [], storage }, object: applied };
  }
}
