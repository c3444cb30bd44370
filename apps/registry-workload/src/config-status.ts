import { configConditionTypes, configGroupVersion } from '@image-registry/api';
import { statusConditionsApply, type Condition } from '@image-registry/conditions';
import type { KubeObject } from '@image-registry/controller-runtime';
import { configName } from './render/names.ts';
import type { StatusResult } from './status/conditions.ts';

export interface ConfigStatusView {
  metadata?: { generation?: number };
  status?: { conditions?: Condition[]; observedGeneration?: number };
}

/**
 * The server-side apply body for this app's part of `Config.status`: its four conditions (transition
 * times kept where the status is unchanged), `readyReplicas`, and `observedGeneration`, which moves
 * to the current generation only once a pass has acted on it. Every field is always sent: leaving one
 * out of an apply would give it up.
 */
export function configStatusApply(current: ConfigStatusView, result: StatusResult, acted: boolean, now: Date): KubeObject {
  const body = statusConditionsApply({
    apiVersion: configGroupVersion,
    kind: 'Config',
    name: configName,
    current: current.status?.conditions,
    conditions: result.conditions,
    ownedTypes: configConditionTypes['registry-workload'],
    now,
  });
  const observedGeneration = acted ? current.metadata?.generation : current.status?.observedGeneration;
  const status: Record<string, unknown> = { ...body.status, readyReplicas: result.readyReplicas };
  if (observedGeneration !== undefined) status['observedGeneration'] = observedGeneration;
  return { ...body, status } as KubeObject;
}
