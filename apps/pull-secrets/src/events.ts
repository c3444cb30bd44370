import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { PullSecretClient } from './throttle.ts';
import { EventResource, type ServiceAccountObject } from './resources.ts';

export interface EventRecorderOptions {
  client: PullSecretClient;
  /** `source.component` of every Event: the app's field manager. */
  component: string;
  now: () => number;
  /** At most one Event per ServiceAccount and reason this often (10 min). */
  intervalMs?: number;
  log: Logger;
}

/**
 * Warning Events on a ServiceAccount, for `kubectl describe sa`. The same reason for the same SA is
 * recorded at most once per `intervalMs`, so a key retried with backoff does not flood the namespace.
 */
export class EventRecorder {
  private readonly sent = new Map<string, number>();
  private readonly opts: EventRecorderOptions;

  constructor(opts: EventRecorderOptions) {
    this.opts = opts;
  }

  async warn(sa: ServiceAccountObject, reason: string, message: string): Promise<void> {
    const ns = sa.metadata?.namespace;
    const name = sa.metadata?.name;
    if (!ns || !name) return;
    const key = `${ns}/${name}/${reason}`;
    const now = this.opts.now();
    const last = this.sent.get(key);
    if (last !== undefined && now - last < (this.opts.intervalMs ?? 600_000)) return;
    this.sent.set(key, now);
    if (this.sent.size > 10_000) this.prune(now);
    const time = new Date(now).toISOString();
    try {
      await this.opts.client.create(EventResource, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${name}.${randomBytes(8).toString('hex')}`, namespace: ns },
        involvedObject: { apiVersion: 'v1', kind: 'ServiceAccount', namespace: ns, name, uid: sa.metadata?.uid },
        reason,
        message: message.slice(0, 1024),
        type: 'Warning',
        source: { component: this.opts.component },
        firstTimestamp: time,
        lastTimestamp: time,
        count: 1,
      });
    } catch (err) {
      // An Event is a courtesy: failing to record one must not fail the reconcile.
      this.opts.log.debug({ err: (err as Error).message }, 'could not record an event');
    }
  }

  private prune(now: number): void {
    for (const [k, t] of this.sent) if (now - t >= (this.opts.intervalMs ?? 600_000)) this.sent.delete(k);
  }
}
