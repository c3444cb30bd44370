// What the pruner app tells an admin beyond its conditions: Events when it creates the image-pruner
// CronJob and when a prune Job fails, and the live log level from Config/cluster spec.operatorLogLevel.
import { operatorLogLevelOf, processLogLevel } from '@image-registry/api';
import { eventRecorder, eventRef, followLogLevel, recordChanges, whenCreated, type KubeObject, type Manager } from '@image-registry/controller-runtime';
import type { PrunerCaches } from './caches.ts';
import { ConfigResource } from './resources.ts';

type Job = KubeObject & { status?: { conditions?: { type?: string; status?: string; message?: string }[] } };

export const cronJobCreated = whenCreated<KubeObject>(
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  'CronJobCreated',
  (cj) => `Created CronJob ${cj.metadata?.name ?? ''}, which prunes images on the schedule of ImagePruner/cluster.`,
);

export function pruneJobFailed(old: Job | undefined, obj: Job) {
  const failed = (j: Job | undefined) => j?.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
  const now = failed(obj);
  if (!now || failed(old)) return undefined;
  return {
    regarding: eventRef(obj, { apiVersion: 'batch/v1', kind: 'Job' }),
    type: 'Warning' as const,
    reason: 'PruneJobFailed',
    action: 'Prune',
    note: `Prune Job ${obj.metadata?.name ?? ''} failed${now.message ? `: ${now.message}` : ''}. Its pod's log says why.`,
  };
}

export function observePruner(mgr: Manager, caches: PrunerCaches, namespace: string): void {
  const events = eventRecorder(mgr, namespace);
  recordChanges(mgr, caches.cronJob, events, cronJobCreated);
  recordChanges(mgr, caches.jobs, events, pruneJobFailed);
  followLogLevel(mgr, ConfigResource, 'cluster', (c) => processLogLevel(operatorLogLevelOf(c)));
}
