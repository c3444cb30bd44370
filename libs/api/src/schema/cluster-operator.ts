import * as z from 'zod/mini';
import { mapList, rawObject, timestamp } from './k8s.ts';
import { kubernetesObject } from './meta.ts';
import { configOpenShiftGroupVersion } from '../names.ts';

export const clusterOperatorCondition = z.object({
  type: z.string().check(z.describe('Available, Progressing, Degraded, Upgradeable or another aspect.')),
  status: z.enum(['True', 'False', 'Unknown']).check(z.describe('True, False or Unknown.')),
  lastTransitionTime: timestamp().check(z.describe('When status last changed.')),
  reason: z.optional(z.string()).check(z.describe('CamelCase reasons; several are joined with ::.')),
  message: z
    .optional(z.string())
    .check(z.describe('Details for people; one line per contributing condition.')),
});

export const clusterOperatorSpec = z
  .object({})
  .check(z.describe('Empty; a ClusterOperator only reports status.'));

export const clusterOperatorStatus = z
  .object({
    conditions: z
      .optional(mapList(clusterOperatorCondition, ['type']))
      .check(z.describe('The health of the component.')),
    versions: z
      .optional(
        z.array(
          z.object({
            name: z
              .string()
              .check(z.describe('The versioned thing; operator is the version of the whole component.')),
            version: z.string().check(z.describe('The version that thing has finished rolling out.')),
          }),
        ),
      )
      .check(z.describe('Versions the component has finished rolling out.')),
    relatedObjects: z
      .optional(
        z.array(
          z.object({
            group: z.string().check(z.describe('API group; empty for the core group.')),
            resource: z.string().check(z.describe('Resource (plural).')),
            namespace: z
              .optional(z.string())
              .check(z.describe('Namespace; empty for cluster-scoped objects.')),
            name: z.string().check(z.describe('Name.')),
          }),
        ),
      )
      .check(z.describe('Objects to look at when debugging the component (used by must-gather).')),
    extension: z.optional(z.nullable(rawObject())).check(z.describe('Component-specific free-form status.')),
  })
  .check(z.describe('The health and version the component reports.'));

export const clusterOperator = kubernetesObject({
  apiVersion: configOpenShiftGroupVersion,
  kind: 'ClusterOperator',
  spec: clusterOperatorSpec,
  status: clusterOperatorStatus,
});
export type ClusterOperator = z.infer<typeof clusterOperator>;
export type ClusterOperatorInput = z.input<typeof clusterOperator>;
export type ClusterOperatorStatus = z.infer<typeof clusterOperatorStatus>;
