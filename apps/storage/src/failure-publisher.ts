import type { DesiredCondition } from '@image-registry/conditions';
import { TerminalError, type Clock } from '@image-registry/controller-runtime';
import { degradedCondition, type Failure } from './degraded.ts';
import { StorageConditionTypes as T } from './drivers/driver.ts';
import type { ConfigRaw, StatusWriter } from './status-writer.ts';

/** StorageControllerDegraded when nothing is failing. */
export const asExpected = degradedCondition(undefined, 0, 0);

export interface FailurePublisherOptions {
  status: StatusWriter;
  clock: Clock;
  /** How long a retried failure lasts before StorageControllerDegraded turns True. */
  degradedAfterMs: number;
}

/** Publishes failures to the Config status and times the current one for Degraded's grace period. */
export class FailurePublisher {
  private readonly opts: FailurePublisherOptions;
  /** Since when the current failure has lasted (in memory: a restart starts the grace period again). */
  private failingSince: number | undefined;

  constructor(opts: FailurePublisherOptions) {
    this.opts = opts;
  }

  /** Nothing is failing any more: the next failure starts a new grace period. */
  recovered(): void {
    this.failingSince = undefined;
  }

  /**
   * Publishes a failure: the given conditions over the current ones, Degraded per the grace period.
   * `status.storage` is left as it was: the registry keeps using the last storage that worked.
   */
  async publish(raw: ConfigRaw, failure: Failure, conditions: readonly DesiredCondition[]): Promise<void> {
    const { status, clock, degradedAfterMs } = this.opts;
    const now = clock.now();
    this.failingSince ??= now;
    const replaced = new Set(conditions.map((c) => c.type));
    const degraded = degradedCondition(failure, now - this.failingSince, degradedAfterMs);
    await status.apply(
      raw,
      [...status.carried(raw, [...replaced, T.degraded]), ...conditions, degraded],
      status.written(raw).storage,
    );
  }

  /** A configuration problem only the admin can fix: Degraded at once, no retry until something changes. */
  async terminal(raw: ConfigRaw, failure: Failure): Promise<never> {
    await this.publish(raw, failure, []);
    throw new TerminalError(failure.message);
  }
}
