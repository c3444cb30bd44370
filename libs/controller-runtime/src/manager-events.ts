import { EventRecorder, type EventRecorderOptions } from './events.ts';
import { fieldManagerFor } from './run-app.ts';
import type { Manager } from './manager.ts';

const recorders = new WeakMap<Manager, EventRecorder>();

/**
 * The app's Event recorder (one per manager): Events live in `namespace`, the operand namespace, and
 * stand on the app's Deployment `image-registry-<app>` when their object is cluster-scoped.
 */
export function eventRecorder(mgr: Manager, namespace: string, opts: Partial<EventRecorderOptions> = {}): EventRecorder {
  let r = recorders.get(mgr);
  if (!r) {
    r = new EventRecorder({
      client: mgr.client,
      controller: fieldManagerFor(mgr.name),
      namespace,
      self: { apiVersion: 'apps/v1', kind: 'Deployment', name: `image-registry-${mgr.name}`, namespace },
      logger: mgr.logger,
      ...opts,
    });
    recorders.set(mgr, r);
  }
  return r;
}
