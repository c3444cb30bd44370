import * as z from 'zod/mini';
import { cel, int32, int64, mapList, rawObject, timestamp } from './k8s.ts';

/** `spec.managementState` values. `Force` is accepted for compatibility and means the same as `Managed`. */
export const managementStates = ['Managed', 'Unmanaged', 'Force', 'Removed'] as const;
export const managementState = z
  .enum(managementStates)
  .check(
    z.describe(
      'Whether the operator manages the registry. Managed: the registry is kept as configured. ' +
        'Unmanaged: the operator leaves every registry object alone. Removed: the operator removes the registry ' +
        '(and its storage only if the operator created it). Force: accepted for compatibility; same as Managed.',
    ),
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
    .check(
      z.maxLength(316),
      z.regex(conditionTypePattern, 'must be a CamelCase condition type such as Available'),
      z.describe(
        'The aspect this condition reports on, e.g. Available or StorageExists. Unique within the list.',
      ),
    ),
  status: z.enum(conditionStatuses).check(z.describe('True, False or Unknown.')),
  lastTransitionTime: timestamp().check(z.describe('When status last changed from one value to another.')),
  reason: z
    .optional(z.string())
    .check(z.describe('A CamelCase word that says why the condition has its status.')),
  message: z
    .optional(z.string())
    .check(z.describe('A sentence for people explaining the status; may span several lines.')),
});
export type OperatorCondition = z.infer<typeof operatorCondition>;

/** `status.conditions`: a map list keyed by type, so each app owns only the condition types it applies. */
export function operatorConditions() {
  return mapList(operatorCondition, ['type']).check(
    z.describe(
      'The latest observations of the operator. Each condition type is written by exactly one controller.',
    ),
  );
}

/** Which generation of an operand object the operator last applied. */
export const generationStatus = z.object({
  group: z.string().check(z.describe('API group of the object.')),
  resource: z.string().check(z.describe('Resource (plural) of the object.')),
  namespace: z.string().check(z.describe('Namespace of the object; empty for cluster-scoped objects.')),
  name: z.string().check(z.describe('Name of the object.')),
  lastGeneration: z
    .optional(int64())
    .check(z.describe('metadata.generation of the object when the operator last applied it.')),
  hash: z
    .optional(z.string())
    .check(z.describe('A hash of the applied content, for objects without a generation such as secrets.')),
});

/** The fields every OpenShift operator spec carries. */
export const operatorSpecFields = {
  managementState: z.optional(managementState),
  logLevel: z
    ._default(logLevel, 'Normal')
    .check(z.describe('Log verbosity of the registry: Normal (default), Debug, Trace or TraceAll.')),
  operatorLogLevel: z
    ._default(logLevel, 'Normal')
    .check(
      z.describe('Log verbosity of the operator controllers: Normal (default), Debug, Trace or TraceAll.'),
    ),
  unsupportedConfigOverrides: z
    .optional(z.nullable(rawObject()))
    .check(
      z.describe(
        'Not supported. Free-form overrides kept for compatibility with OpenShift; the operator ignores them.',
      ),
    ),
  observedConfig: z
    .optional(z.nullable(rawObject()))
    .check(
      z.describe(
        'Configuration observed from the cluster by the operator. Free-form and written by the operator only.',
      ),
    ),
};

/** The fields every OpenShift operator status carries. */
export const operatorStatusFields = {
  observedGeneration: z
    .optional(int64())
    .check(z.describe('The metadata.generation of the spec the operator last acted on.')),
  conditions: z.optional(operatorConditions()),
  version: z.optional(z.string()).check(z.describe('The version of the operand last rolled out.')),
  readyReplicas: z.optional(int32()).check(z.describe('How many registry replicas are ready.')),
  latestAvailableRevision: z
    .optional(
      cel(int32(), {
        rule: 'self >= oldSelf',
        message: 'must only increase',
      }),
    )
    .check(z.describe('The latest revision of the operand available for rollout; it only increases.')),
  generations: z
    .optional(mapList(generationStatus, ['group', 'resource', 'namespace', 'name']))
    .check(z.describe('The generations of operand objects the operator last applied.')),
};
