import { z } from 'zod';
import { cel, int32, int64, mapList, rawObject, timestamp } from './k8s.ts';

/** `spec.managementState` values. `Force` is accepted for compatibility and means the same as `Managed`. */
export const managementStates = ['Managed', 'Unmanaged', 'Force', 'Removed'] as const;
export const managementState = z
  .enum(managementStates)
  .describe(
    'Whether the operator manages the registry. Managed: the registry is kept as configured. ' +
      'Unmanaged: the operator leaves every registry object alone. Removed: the operator removes the registry ' +
      '(and its storage only if the operator created it). Force: accepted for compatibility; same as Managed.',
  );
export type ManagementState = z.infer<typeof managementState>;

/** Log verbosity of an operand or operator, from quiet to most verbose. Empty means Normal. */
export const logLevels = ['', 'Normal', 'Debug', 'Trace', 'TraceAll'] as const;
export const logLevel = z.enum(logLevels);
export type LogLevel = z.infer<typeof logLevel>;

export const conditionStatuses = ['True', 'False', 'Unknown'] as const;

/** The pattern Kubernetes uses for condition types (`Available`, `example.com/Ready`). */
export const conditionTypePattern =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;

/** One condition in `status.conditions` of Config and ImagePruner (OpenShift's OperatorCondition). */
export const operatorCondition = z.object({
  type: z
    .string()
    .max(316)
    .regex(conditionTypePattern, 'must be a CamelCase condition type such as Available')
    .describe(
      'The aspect this condition reports on, e.g. Available or StorageExists. Unique within the list.',
    ),
  status: z.enum(conditionStatuses).describe('True, False or Unknown.'),
  lastTransitionTime: timestamp().describe('When status last changed from one value to another.'),
  reason: z.string().optional().describe('A CamelCase word that says why the condition has its status.'),
  message: z
    .string()
    .optional()
    .describe('A sentence for people explaining the status; may span several lines.'),
});
export type OperatorCondition = z.infer<typeof operatorCondition>;

/** `status.conditions`: a map list keyed by type, so each app owns only the condition types it applies. */
export function operatorConditions() {
  return mapList(operatorCondition, ['type']).describe(
    'The latest observations of the operator. Each condition type is written by exactly one controller.',
  );
}

/** Which generation of an operand object the operator last applied. */
export const generationStatus = z.object({
  group: z.string().describe('API group of the object.'),
  resource: z.string().describe('Resource (plural) of the object.'),
  namespace: z.string().describe('Namespace of the object; empty for cluster-scoped objects.'),
  name: z.string().describe('Name of the object.'),
  lastGeneration: int64()
    .optional()
    .describe('metadata.generation of the object when the operator last applied it.'),
  hash: z
    .string()
    .optional()
    .describe('A hash of the applied content, for objects without a generation such as secrets.'),
});

/** The fields every OpenShift operator spec carries. */
export const operatorSpecFields = {
  managementState: managementState.optional(),
  logLevel: logLevel
    .default('Normal')
    .describe('Log verbosity of the registry: Normal (default), Debug, Trace or TraceAll.'),
  operatorLogLevel: logLevel
    .default('Normal')
    .describe('Log verbosity of the operator controllers: Normal (default), Debug, Trace or TraceAll.'),
  unsupportedConfigOverrides: rawObject()
    .nullable()
    .optional()
    .describe(
      'Not supported. Free-form overrides kept for compatibility with OpenShift; the operator ignores them.',
    ),
  observedConfig: rawObject()
    .nullable()
    .optional()
    .describe(
      'Configuration observed from the cluster by the operator. Free-form and written by the operator only.',
    ),
};

/** The fields every OpenShift operator status carries. */
export const operatorStatusFields = {
  observedGeneration: int64()
    .optional()
    .describe('The metadata.generation of the spec the operator last acted on.'),
  conditions: operatorConditions().optional(),
  version: z.string().optional().describe('The version of the operand last rolled out.'),
  readyReplicas: int32().optional().describe('How many registry replicas are ready.'),
  latestAvailableRevision: cel(int32(), {
    rule: 'self >= oldSelf',
    message: 'must only increase',
  })
    .optional()
    .describe('The latest revision of the operand available for rollout; it only increases.'),
  generations: mapList(generationStatus, ['group', 'resource', 'namespace', 'name'])
    .optional()
    .describe('The generations of operand objects the operator last applied.'),
};
