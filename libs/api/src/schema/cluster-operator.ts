import { z } from 'zod';
import { mapList, rawObject, timestamp } from './k8s.ts';
import { kubernetesObject } from './meta.ts';
import { configOpenShiftGroupVersion } from '../names.ts';

export const clusterOperatorCondition = z.object({
  type: z.string().describe('Available, Progressing, Degraded, Upgradeable or another aspect.'),
  status: z.enum(['True', 'False', 'Unknown']).describe('True, False or Unknown.'),
  lastTransitionTime: timestamp().describe('When status last changed.'),
  reason: z.string().optional().describe('CamelCase reasons; several are joined with ::.'),
  message: z.string().optional().describe('Details for people; one line per contributing condition.'),
});

export const clusterOperatorSpec = z.object({}).describe('Empty; a ClusterOperator only reports status.');

export const clusterOperatorStatus = z
  .object({
    conditions: mapList(clusterOperatorCondition, ['type'])
      .optional()
      .describe('The health of the component.'),
    versions: z
      .array(
        z.object({
          name: z.string().describe('The versioned thing; operator is the version of the whole component.'),
          version: z.string().describe('The version that thing has finished rolling out.'),
        }),
      )
      .optional()
      .describe('Versions the component has finished rolling out.'),
    relatedObjects: z
      .array(
        z.object({
          group: z.string().describe('API group; empty for the core group.'),
          resource: z.string().describe('Resource (plural).'),
          namespace: z.string().optional().describe('Namespace; empty for cluster-scoped objects.'),
          name: z.string().describe('Name.'),
        }),
      )
      .optional()
      .describe('Objects to look at when debugging the component (used by must-gather).'),
    extension: rawObject().nullable().optional().describe('Component-specific free-form status.'),
  })
  .describe('The health and version the component reports.');

export const clusterOperator = kubernetesObject({
  apiVersion: configOpenShiftGroupVersion,
  kind: 'ClusterOperator',
  spec: clusterOperatorSpec,
  status: clusterOperatorStatus,
});
export type ClusterOperator = z.infer<typeof clusterOperator>;
export type ClusterOperatorInput = z.input<typeof clusterOperator>;
export type ClusterOperatorStatus = z.infer<typeof clusterOperatorStatus>;
