import { singletonName } from '@image-registry/api';
import type { Condition, DesiredCondition } from '@image-registry/conditions';
import type { Clock, KubeClient, KubeObject, OwnWrites } from '@image-registry/controller-runtime';
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

const configKey = { name: singletonName };

/**
 * Writes this app's part of `Config/cluster` status (its conditions, `status.storage`,
 * `status.storageManaged`). The informer cache can lag behind this app's own writes, and carrying
 * conditions or `status.storage` over from a stale copy would undo them: every read goes through the
 * runtime's read-your-own-writes (`OwnWrites`), which yields our last write only while it is newer
 * than the cache, so a change someone else made afterwards is seen (and repaired) as drift.
 */
export class StatusWriter {
  private readonly client: KubeClient;
  private readonly clock: Clock;
  private readonly writes: OwnWrites<ConfigRaw>;

  constructor(opts: { client: KubeClient; clock: Clock; writes: OwnWrites<ConfigRaw> }) {
    this.client = opts.client;
    this.clock = opts.clock;
    this.writes = opts.writes;
  }

  /** The newer of `raw` (from the cache) and this app's last write of the Config. */
  current(raw: ConfigRaw): ConfigRaw {
    return this.writes.current(configKey, raw) ?? raw;
  }

  /** This app's part of the status, as the newest known Config has it. */
  written(raw: ConfigRaw): Written {
    const status = this.current(raw).status;
    const ours = (status?.conditions ?? []).filter((c) => ownedConditionTypes.includes(c.type));
    return { conditions: ours, storage: (status?.storage as StorageSpec | undefined) ?? {} };
  }

  /** This app's current conditions except `except`, to publish unchanged. */
  carried(raw: ConfigRaw, except: readonly string[]): DesiredCondition[] {
    return this.written(raw)
      .conditions.filter((c) => !except.includes(c.type))
      .map((c) => ({ type: c.type, status: c.status, reason: c.reason ?? '', message: c.message ?? '' }));
  }

  /** Applies exactly these conditions (others of ours are dropped) and this `status.storage`. */
  async apply(raw: ConfigRaw, conditions: readonly DesiredCondition[], storage: StorageSpec): Promise<void> {
    let current = this.current(raw);
    const published = this.written(current).storage;
    if (Object.keys(storage).length === 0 && Object.keys(published).length > 0) {
      // Server-side apply turns a map emptied of this manager's fields into null, which the schema
      // rejects. So: the conditions first (observers never see storage cleared with stale conditions),
      // then clear the map with a JSON patch (this app is its only writer), then apply the empty map.
      current = await this.applyOnce(current, conditions, published);
      current = this.writes.remember(
        (await this.client.patch(
          ConfigResource,
          configKey,
          [
            { op: 'add', path: '/status/storage', value: {} },
            { op: 'add', path: '/status/storageManaged', value: false },
          ],
          { type: 'json', subresource: 'status' },
        )) as ConfigRaw,
      );
    }
    await this.applyOnce(current, conditions, storage);
  }

  private async applyOnce(
    current: ConfigRaw,
    conditions: readonly DesiredCondition[],
    storage: StorageSpec,
  ): Promise<ConfigRaw> {
    const body = configStatusApply({
      current: this.written(current).conditions,
      conditions,
      storage,
      now: new Date(this.clock.now()),
    });
    // Skipped without a request when `current` already carries all of it.
    return this.writes.remember(
      (await this.client.applyStatus(ConfigResource, body, { current })) as ConfigRaw,
    );
  }
}
