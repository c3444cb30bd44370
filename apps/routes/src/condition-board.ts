import { statusConditionsApply, type Condition, type DesiredCondition } from '@image-registry/conditions';
import type { KubeClient, Reader } from './reader.ts';
import { ConfigResource, names, type ConfigObject } from './resources.ts';
import { conditionTypes } from './render/conditions.ts';

const owned = [conditionTypes.imageConfig, conditionTypes.routes];

/**
 * The app's two Config conditions, applied together. Both controllers write with the same field
 * manager, and server-side apply drops whatever a manager leaves out, so every apply carries both:
 * the one just decided and the other as last decided (or as the Config shows it after a restart).
 */
export class ConditionBoard {
  private readonly decided = new Map<string, DesiredCondition>();
  private readonly client: Pick<KubeClient, 'applyStatus'>;
  private readonly configs: Reader<ConfigObject>;
  private readonly now: () => Date;

  constructor(opts: { client: Pick<KubeClient, 'applyStatus'>; configs: Reader<ConfigObject>; now?: () => Date }) {
    this.client = opts.client;
    this.configs = opts.configs;
    this.now = opts.now ?? (() => new Date());
  }

  /** Sets one condition on Config/cluster; no write when the Config already shows both. */
  async set(condition: DesiredCondition): Promise<void> {
    this.decided.set(condition.type, condition);
    const config = this.configs.get({ name: names.config });
    if (!config) return; // nothing to report on; the next Config event reconciles again
    const current = (config.status?.conditions ?? []) as Condition[];
    const conditions = owned.flatMap((type) => {
      const c = this.decided.get(type) ?? current.find((x) => x.type === type);
      return c ? [{ type: c.type, status: c.status, reason: c.reason ?? '', message: c.message ?? '' }] : [];
    });
    const body = statusConditionsApply({
      apiVersion: ConfigResource.apiVersion,
      kind: ConfigResource.kind,
      name: names.config,
      current,
      conditions,
      ownedTypes: owned,
      now: this.now(),
    });
    await this.client.applyStatus(ConfigResource, body as unknown as ConfigObject, { current: config });
  }
}
