import { configConditionTypes, configGroupVersion } from '@image-registry/api';
import { statusConditionsApply, type DesiredCondition } from '@image-registry/conditions';
import type { KubeClient, Logger } from '@image-registry/controller-runtime';
import { ConfigResource, names, type ConfigObject } from './resources.ts';

const owned = configConditionTypes['node-ca'];
type OwnedType = (typeof owned)[number];

/** A cache read (an informer's `get`). */
export interface Reader<T> {
  get(key: { namespace?: string; name: string }): T | undefined;
}

/**
 * The one writer of this app's four Config conditions. Both controllers apply status with the same
 * field manager, and a server-side apply gives up every field the manager leaves out, so each apply
 * carries all four: the ones just decided, and for the rest the last decided value (or, after a
 * restart, the value on the Config). Applies are serialised, so two controllers never race.
 */
export class ConfigConditions {
  private readonly decided = new Map<OwnedType, DesiredCondition>();
  private chain: Promise<unknown> = Promise.resolve();

  private readonly client: Pick<KubeClient, 'applyStatus'>;
  private readonly configs: Reader<ConfigObject>;
  private readonly now: () => Date;

  constructor(client: Pick<KubeClient, 'applyStatus'>, configs: Reader<ConfigObject>, now: () => Date = () => new Date()) {
    this.client = client;
    this.configs = configs;
    this.now = now;
  }

  /** Records `conditions` and applies all four; nothing happens while Config/cluster is absent. */
  set(conditions: readonly DesiredCondition[], log: Logger, signal?: AbortSignal): Promise<void> {
    for (const c of conditions) this.decided.set(c.type as OwnedType, c);
    const run = this.chain.then(() => this.apply(log, signal));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async apply(log: Logger, signal?: AbortSignal): Promise<void> {
    const config = this.configs.get({ name: names.config });
    if (!config) {
      log.debug('Config/cluster does not exist; conditions not written');
      return;
    }
    const current = config.status?.conditions ?? [];
    const conditions: DesiredCondition[] = [];
    for (const type of owned) {
      const c = this.decided.get(type) ?? current.find((x) => x.type === type);
      if (c) conditions.push({ type: c.type, status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) });
    }
    const body = statusConditionsApply({
      apiVersion: configGroupVersion,
      kind: 'Config',
      name: names.config,
      current,
      conditions,
      ownedTypes: owned,
      now: this.now(),
    });
    await this.client.applyStatus(ConfigResource, body as ConfigObject, { current: config, ...(signal ? { signal } : {}) });
  }
}
