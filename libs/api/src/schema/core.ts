import type {
  CoreV1ResourceClaim,
  V1Affinity,
  V1LabelSelector,
  V1LabelSelectorRequirement,
  V1NodeAffinity,
  V1NodeSelector,
  V1NodeSelectorRequirement,
  V1NodeSelectorTerm,
  V1PodAffinity,
  V1PodAffinityTerm,
  V1PodAntiAffinity,
  V1PreferredSchedulingTerm,
  V1ResourceRequirements,
  V1SecretKeySelector,
  V1Toleration,
  V1TopologySpreadConstraint,
  V1WeightedPodAffinityTerm,
} from '@kubernetes/client-node';
import { z } from 'zod';
import { atomicList, atomicMap, int32, int64, mapList, quantity, stringMap } from './k8s.ts';

/**
 * Core Kubernetes types embedded in our specs. Their TypeScript types are @kubernetes/client-node's
 * models; the zod schemas here only validate and describe them for the CRD (structural, so the API
 * server checks them at admission, with the list/map semantics Kubernetes gives them). `model<T>()`
 * fails to compile when a schema's keys differ from the model's, so a field added to Kubernetes
 * cannot be silently pruned.
 */

type KeysMatch<T, U> = [Exclude<keyof T, keyof U>, Exclude<keyof U, keyof T>] extends [never, never]
  ? true
  : false;

function model<T>() {
  return <S extends z.ZodType<T>>(
    schema: S,
    ..._keysMatch: KeysMatch<T, z.output<S>> extends true
      ? []
      : ['the schema keys differ from the client-node model']
  ): z.ZodType<T, z.input<S>> => schema as unknown as z.ZodType<T, z.input<S>>;
}

const selectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

export const labelSelectorRequirement = model<V1LabelSelectorRequirement>()(
  z.object({
    key: z.string().describe('The label key the selector applies to.'),
    operator: z
      .enum(selectorOperators)
      .describe('How the key relates to the values: In, NotIn, Exists or DoesNotExist.'),
    values: atomicList(z.string())
      .optional()
      .describe('Values for In and NotIn; must be empty for Exists and DoesNotExist.'),
  }),
);

export const labelSelector = model<V1LabelSelector>()(
  atomicMap(
    z.object({
      matchExpressions: atomicList(labelSelectorRequirement)
        .optional()
        .describe('Requirements that must all hold.'),
      matchLabels: stringMap().optional().describe('Labels that must all be present with these values.'),
    }),
  ),
);

export const toleration = model<V1Toleration>()(
  z.object({
    key: z
      .string()
      .optional()
      .describe('The taint key to tolerate; empty with operator Exists tolerates every taint.'),
    operator: z
      .enum(['Exists', 'Equal'])
      .optional()
      .describe('Exists matches any value; Equal (the default) matches value.'),
    value: z.string().optional().describe('The taint value to match with operator Equal.'),
    effect: z
      .enum(['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'])
      .optional()
      .describe('The taint effect to tolerate; empty tolerates every effect.'),
    tolerationSeconds: int64()
      .optional()
      .describe(
        'For NoExecute taints: how long the pod stays bound after the taint appears; unset means forever.',
      ),
  }),
);

const resourceClaim = model<CoreV1ResourceClaim>()(
  z.object({
    name: z.string().describe('The name of an entry in the pod’s resourceClaims.'),
    request: z
      .string()
      .optional()
      .describe('One request of that claim; empty makes the whole claim available.'),
  }),
);

export const resourceRequirements = model<V1ResourceRequirements>()(
  atomicMap(
    z.object({
      claims: mapList(resourceClaim, ['name'])
        .optional()
        .describe('Dynamically allocated resources the container uses.'),
      limits: z
        .record(z.string(), quantity())
        .optional()
        .describe('Maximum amount of each resource, e.g. cpu: 500m, memory: 1Gi.'),
      requests: z
        .record(z.string(), quantity())
        .optional()
        .describe('Amount of each resource reserved for scheduling.'),
    }),
  ),
);

const nodeSelectorRequirement = model<V1NodeSelectorRequirement>()(
  z.object({
    key: z.string().describe('The node label or field key.'),
    operator: z
      .enum([...selectorOperators, 'Gt', 'Lt'])
      .describe('In, NotIn, Exists, DoesNotExist, Gt or Lt.'),
    values: atomicList(z.string()).optional().describe('Values to compare with; one integer for Gt and Lt.'),
  }),
);

const nodeSelectorTerm = model<V1NodeSelectorTerm>()(
  atomicMap(
    z.object({
      matchExpressions: atomicList(nodeSelectorRequirement)
        .optional()
        .describe('Requirements on node labels.'),
      matchFields: atomicList(nodeSelectorRequirement).optional().describe('Requirements on node fields.'),
    }),
  ),
);

const nodeSelector = model<V1NodeSelector>()(
  atomicMap(
    z.object({
      nodeSelectorTerms: atomicList(nodeSelectorTerm).describe('Terms of which at least one must match.'),
    }),
  ),
);

const preferredSchedulingTerm = model<V1PreferredSchedulingTerm>()(
  z.object({
    preference: nodeSelectorTerm.describe('The node selector term to prefer.'),
    weight: int32().min(1).max(100).describe('Weight from 1 to 100 added for nodes matching the preference.'),
  }),
);

const nodeAffinity = model<V1NodeAffinity>()(
  z.object({
    preferredDuringSchedulingIgnoredDuringExecution: atomicList(preferredSchedulingTerm)
      .optional()
      .describe('Node preferences the scheduler tries to satisfy.'),
    requiredDuringSchedulingIgnoredDuringExecution: nodeSelector
      .optional()
      .describe('Node requirements that must hold for the pod to be scheduled.'),
  }),
);

const podAffinityTerm = model<V1PodAffinityTerm>()(
  z.object({
    labelSelector: labelSelector.optional().describe('Selects the pods this term refers to.'),
    matchLabelKeys: atomicList(z.string())
      .optional()
      .describe('Label keys whose values are taken from the incoming pod and ANDed with labelSelector.'),
    mismatchLabelKeys: atomicList(z.string())
      .optional()
      .describe('Label keys whose values are taken from the incoming pod and must not match.'),
    namespaceSelector: labelSelector
      .optional()
      .describe('Selects the namespaces searched for matching pods.'),
    namespaces: atomicList(z.string())
      .optional()
      .describe('Namespaces searched for matching pods, in addition to namespaceSelector.'),
    topologyKey: z
      .string()
      .min(1)
      .describe('The node label that defines a topology domain, e.g. topology.kubernetes.io/zone.'),
  }),
);

const weightedPodAffinityTerm = model<V1WeightedPodAffinityTerm>()(
  z.object({
    podAffinityTerm: podAffinityTerm.describe('The pod affinity term to prefer.'),
    weight: int32().min(1).max(100).describe('Weight from 1 to 100 added for nodes satisfying the term.'),
  }),
);

const podAffinity = model<V1PodAffinity>()(
  z.object({
    preferredDuringSchedulingIgnoredDuringExecution: atomicList(weightedPodAffinityTerm)
      .optional()
      .describe('Co-location preferences the scheduler tries to satisfy.'),
    requiredDuringSchedulingIgnoredDuringExecution: atomicList(podAffinityTerm)
      .optional()
      .describe('Co-location requirements that must hold for the pod to be scheduled.'),
  }),
);

const podAntiAffinity = model<V1PodAntiAffinity>()(
  z.object({
    preferredDuringSchedulingIgnoredDuringExecution: atomicList(weightedPodAffinityTerm)
      .optional()
      .describe('Separation preferences the scheduler tries to satisfy.'),
    requiredDuringSchedulingIgnoredDuringExecution: atomicList(podAffinityTerm)
      .optional()
      .describe('Separation requirements that must hold for the pod to be scheduled.'),
  }),
);

export const affinity = model<V1Affinity>()(
  z.object({
    nodeAffinity: nodeAffinity.optional().describe('Which nodes the pods may or should run on.'),
    podAffinity: podAffinity.optional().describe('Which pods these pods should run near.'),
    podAntiAffinity: podAntiAffinity.optional().describe('Which pods these pods should run away from.'),
  }),
);

export const topologySpreadConstraint = model<V1TopologySpreadConstraint>()(
  z.object({
    labelSelector: labelSelector.optional().describe('Selects the pods counted in each topology domain.'),
    matchLabelKeys: atomicList(z.string())
      .optional()
      .describe('Label keys whose values are taken from the incoming pod to narrow the counted pods.'),
    maxSkew: int32()
      .min(1)
      .describe('The largest allowed difference in matching pods between two topology domains.'),
    minDomains: int32()
      .min(1)
      .optional()
      .describe('The minimum number of eligible domains; only with whenUnsatisfiable DoNotSchedule.'),
    nodeAffinityPolicy: z
      .enum(['Honor', 'Ignore'])
      .optional()
      .describe('Whether node affinity and selectors limit the counted domains (default Honor).'),
    nodeTaintsPolicy: z
      .enum(['Honor', 'Ignore'])
      .optional()
      .describe('Whether node taints limit the counted domains (default Ignore).'),
    topologyKey: z.string().min(1).describe('The node label that defines a topology domain.'),
    whenUnsatisfiable: z
      .enum(['DoNotSchedule', 'ScheduleAnyway'])
      .describe('What the scheduler does when the constraint cannot be met.'),
  }),
);

export const secretKeySelector = model<V1SecretKeySelector>()(
  atomicMap(
    z.object({
      key: z.string().describe('The key within the secret.'),
      name: z.string().default('').describe('The name of the secret, in the operand namespace.'),
      optional: z.boolean().optional().describe('Whether a missing secret or key is allowed.'),
    }),
  ),
);
