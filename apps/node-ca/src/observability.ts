// What node-ca tells an admin beyond its conditions: Events when it creates the node-ca DaemonSet and
// when the CA bundle the nodes trust changes, and the live log level from spec.operatorLogLevel.
import { operatorLogLevelOf, processLogLevel } from '@image-registry/api';
import { eventRecorder, eventRef, followLogLevel, recordChanges, whenCreated, type KubeObject, type Manager } from '@image-registry/controller-runtime';
import { ConfigMapResource, ConfigResource, DaemonSetResource, names } from './resources.ts';

const byName = (name: string) => ({ fieldSelector: `metadata.name=${name}` });

export const daemonSetCreated = whenCreated<KubeObject>(
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  'DaemonSetCreated',
  (ds) => `Created DaemonSet ${ds.metadata?.name ?? ''}: every node gets the registry CA.`,
);

export function caBundleChanged(old: KubeObject | undefined, obj: KubeObject) {
  const keys = (o: KubeObject | undefined) => JSON.stringify((o as { data?: Record<string, string> } | undefined)?.data ?? {});
  if (!old || keys(old) === keys(obj)) return undefined;
  const hosts = Object.keys((obj as { data?: Record<string, string> }).data ?? {});
  return {
    regarding: eventRef(obj, { apiVersion: 'v1', kind: 'ConfigMap' }),
    type: 'Normal' as const,
    reason: 'CABundleUpdated',
    action: 'Update',
    note: `The CA bundle the nodes trust changed (${hosts.length} registry hosts); node-ca writes it to every node.`,
  };
}

export function observeNodeCA(mgr: Manager, namespace: string): void {
  const events = eventRecorder(mgr, namespace);
  recordChanges(mgr, mgr.informer(DaemonSetResource, { namespace, ...byName(names.daemonSet) }), events, daemonSetCreated);
  recordChanges(mgr, mgr.informer(ConfigMapResource, { namespace, ...byName(names.certificates) }), events, caBundleChanged);
  followLogLevel(mgr, ConfigResource, names.config, (c) => processLogLevel(operatorLogLevelOf(c)));
}
