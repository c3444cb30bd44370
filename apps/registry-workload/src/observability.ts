// What the registry-workload app tells an admin beyond its conditions: Events for a rollout of the
// registry and a rotated serving CA, and the live log level from spec.operatorLogLevel.
import { operatorLogLevelOf, processLogLevel } from '@image-registry/api';
import { eventRecorder, eventRef, followLogLevel, recordChanges, type KubeObject, type Manager } from '@image-registry/controller-runtime';
import type { WorkloadCaches } from './caches.ts';
import { caSecretName, configName } from './render/names.ts';
import { ConfigResource } from './resources.ts';

type Generation = KubeObject & { metadata?: { generation?: number } };

/** A new generation of the registry Deployment: the pods are being replaced. */
export function rolloutStarted(old: Generation | undefined, obj: Generation) {
  const gen = obj.metadata?.generation ?? 0;
  if (!old || gen <= (old.metadata?.generation ?? 0)) return undefined;
  return {
    regarding: eventRef(obj, { apiVersion: 'apps/v1', kind: 'Deployment' }),
    type: 'Normal' as const,
    reason: 'RolloutStarted',
    action: 'Rollout',
    note: `The registry Deployment rolls out generation ${gen}: its pods are replaced one by one.`,
  };
}

/** The serving CA's certificate changed (never says what it holds). */
export function caRotated(old: KubeObject | undefined, obj: KubeObject) {
  if (!old || obj.metadata?.name !== caSecretName) return undefined;
  const cert = (o: KubeObject) => (o as { data?: Record<string, string> }).data?.['tls.crt'];
  if (!cert(old) || cert(old) === cert(obj)) return undefined;
  return {
    regarding: eventRef(obj, { apiVersion: 'v1', kind: 'Secret' }),
    type: 'Normal' as const,
    reason: 'CARotated',
    action: 'Rotate',
    note: `The registry's serving CA (Secret ${caSecretName}) was rotated; clients trust the new CA through the CA bundle.`,
  };
}

export function observeWorkload(mgr: Manager, caches: WorkloadCaches, namespace: string): void {
  const events = eventRecorder(mgr, namespace);
  recordChanges(mgr, caches.deployment, events, rolloutStarted);
  recordChanges(mgr, caches.secrets, events, caRotated);
  followLogLevel(mgr, ConfigResource, configName, (c) => processLogLevel(operatorLogLevelOf(c)));
}
