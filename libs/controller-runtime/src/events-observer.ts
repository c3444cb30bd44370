import { eventRef, type EventInput, type EventRecorder } from './events.ts';
import type { Informer } from './informer.ts';
import type { Manager } from './manager.ts';
import type { KubeObject } from './objects.ts';

/**
 * Says which change of a watched object an admin must hear about: `old` is undefined for an object
 * created after the cache synced (never for what a restart lists again). Undefined: nothing to say.
 */
export type ChangeEvent<T> = (old: T | undefined, obj: T) => EventInput | undefined;

/**
 * Records an Event for the changes `describe` picks out of an informer's stream (a rollout, a created
 * CronJob, a rotated CA, a route an ingress controller refused), on the leader only: standbys watch the
 * same objects and must stay silent. Resyncs (`old === obj`) are never changes. Returns the unsubscribe.
 */
export function recordChanges<T extends KubeObject>(mgr: Manager, informer: Informer<T>, recorder: EventRecorder, describe: ChangeEvent<T>): () => void {
  const consider = (old: T | undefined, obj: T) => {
    if (!mgr.isLeader()) return;
    const e = describe(old, obj);
    if (e) recorder.record(e);
  };
  return informer.on({
    add: (obj) => {
      if (informer.hasSynced()) consider(undefined, obj);
    },
    update: (old, obj) => {
      if (old !== obj) consider(old, obj);
    },
  });
}

/** A Normal `<reason>` Event (action Create) when the watched object first appears. */
export function whenCreated<T extends KubeObject>(type: { apiVersion: string; kind: string }, reason: string, note: (obj: T) => string): ChangeEvent<T> {
  return (old, obj) => (old ? undefined : { regarding: eventRef(obj, type), type: 'Normal', reason, action: 'Create', note: note(obj) });
}
