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
import * as z from 'zod/mini';
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
  return <S extends z.ZodMiniType<T>>(
    schema: S,
    ..._keysMatch: KeysMatch<T, z.output<S>> extends true
      ? []
      : ['the schema keys differ from the client-node model']
  ): z.ZodMiniType<T, z.input<S>> => schema as unknown as z.ZodMiniType<T, z.input<S>>;
}

const selectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

export const labelSelectorRequirement = model<V1LabelSelectorRequirement>()(
  z.object({
    key: z.string().check(z.describe('The label key the selector applies to.')),
    operator: z
      .enum(selectorOperators)
      .check(z.describe('How the key relates to the values: In, NotIn, Exists or DoesNotExist.')),
    values: z
      .optional(atomicList(z.string()))
      .check(z.describe('Values for In and NotIn; must be empty for Exists and DoesNotExist.')),
  }),
);

export const labelSelector = model<V1LabelSelector>()(
  atomicMap(
    z.object({
      matchExpressions: z
        .optional(atomicList(labelSelectorRequirement))
        .check(z.describe('Requirements that must all hold.')),
      matchLabels: z
        .optional(stringMap())
        .check(z.describe('Labels that must all be present with these values.')),
    }),
  ),
);

export const toleration = model<V1Toleration>()(
  z.object({
    key: z
      .optional(z.string())
      .check(z.describe('The taint key to tolerate; empty with operator Exists tolerates every taint.')),
    operator: z
      .optional(z.enum(['Exists', 'Equal']))
      .check(z.describe('Exists matches any value; Equal (the default) matches value.')),
    value: z.optional(z.string()).check(z.describe('The taint value to match with operator Equal.')),
    effect: z
      .optional(z.enum(['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute']))
      .check(z.describe('The taint effect to tolerate; empty tolerates every effect.')),
    tolerationSeconds: z
      .optional(int64())
      .check(
        z.describe(
          'For NoExecute taints: how long the pod stays bound after the taint appears; unset means forever.',
        ),
      ),
  }),
);

const resourceClaim = model<CoreV1ResourceClaim>()(
  z.object({
    name: z.string().check(z.describe('The name of an entry in the pod’s resourceClaims.')),
    request: z
      .optional(z.string())
      .check(z.describe('One request of that claim; empty makes the whole claim available.')),
  }),
);

export const resourceRequirements = model<V1ResourceRequirements>()(
  atomicMap(
    z.object({
      claims: z
        .optional(mapList(resourceClaim, ['name']))
        .check(z.describe('Dynamically allocated resources the container uses.')),
      limits: z
        .optional(z.record(z.string(), quantity()))
        .check(z.describe('Maximum amount of each resource, e.g. cpu: 500m, memory: 1Gi.')),
      requests: z
        .optional(z.record(z.string(), quantity()))
        .check(z.describe('Amount of each resource reserved for scheduling.')),
    }),
  ),
);

const nodeSelectorRequirement = model<V1NodeSelectorRequirement>()(
  z.object({
    key: z.string().check(z.describe('The node label or field key.')),
    operator: z
      .enum([...selectorOperators, 'Gt', 'Lt'])
      .check(z.describe('In, NotIn, Exists, DoesNotExist, Gt or Lt.')),
    values: z
      .optional(atomicList(z.string()))
      .check(z.describe('Values to compare with; one integer for Gt and Lt.')),
  }),
);

const nodeSelectorTerm = model<V1NodeSelectorTerm>()(
  atomicMap(
    z.object({
      matchExpressions: z
        .optional(atomicList(nodeSelectorRequirement))
        .check(z.describe('Requirements on node labels.')),
      matchFields: z
        .optional(atomicList(nodeSelectorRequirement))
        .check(z.describe('Requirements on node fields.')),
    }),
  ),
);

const nodeSelector = model<V1NodeSelector>()(
  atomicMap(
    z.object({
      nodeSelectorTerms: atomicList(nodeSelectorTerm).check(
        z.describe('Terms of which at least one must match.'),
      ),
    }),
  ),
);

const preferredSchedulingTerm = model<V1PreferredSchedulingTerm>()(
  z.object({
    preference: nodeSelectorTerm.check(z.describe('The node selector term to prefer.')),
    weight: int32().check(
      z.minimum(1),
      z.maximum(100),
      z.describe('Weight from 1 to 100 added for nodes matching the preference.'),
    ),
  }),
);

const nodeAffinity = model<V1NodeAffinity>()(
  z.object({
    preferredDuringSchedulingIgnoredDuringExecution: z
      .optional(atomicList(preferredSchedulingTerm))
      .check(z.describe('Node preferences the scheduler tries to satisfy.')),
    requiredDuringSchedulingIgnoredDuringExecution: z
      .optional(nodeSelector)
      .check(z.describe('Node requirements that must hold for the pod to be scheduled.')),
  }),
);

const podAffinityTerm = model<V1PodAffinityTerm>()(
  z.object({
    labelSelector: z.optional(labelSelector).check(z.describe('Selects the pods this term refers to.')),
    matchLabelKeys: z
      .optional(atomicList(z.string()))
      .check(
        z.describe('Label keys whose values are taken from the incoming pod and ANDed with labelSelector.'),
      ),
    mismatchLabelKeys: z
      .optional(atomicList(z.string()))
      .check(z.describe('Label keys whose values are taken from the incoming pod and must not match.')),
    namespaceSelector: z
      .optional(labelSelector)
      .check(z.describe('Selects the namespaces searched for matching pods.')),
    namespaces: z
      .optional(atomicList(z.string()))
      .check(z.describe('Namespaces searched for matching pods, in addition to namespaceSelector.')),
    topologyKey: z
      .string()
      .check(
        z.minLength(1),
        z.describe('The node label that defines a topology domain, e.g. topology.kubernetes.io/zone.'),
      ),
  }),
);

const weightedPodAffinityTerm = model<V1WeightedPodAffinityTerm>()(
  z.object({
    podAffinityTerm: podAffinityTerm.check(z.describe('The pod affinity term to prefer.')),
    weight: int32().check(
      z.minimum(1),
      z.maximum(100),
      z.describe('Weight from 1 to 100 added for nodes satisfying the term.'),
    ),
  }),
);

const podAffinity = model<V1PodAffinity>()(
  z.object({
    preferredDuringSchedulingIgnoredDuringExecution: z
      .optional(atomicList(weightedPodAffinityTerm))
      .check(z.describe('Co-location preferences the scheduler tries to satisfy.')),
    requiredDuringSchedulingIgnoredDuringExecution: z
      .optional(atomicList(podAffinityTerm))
      .check(z.describe('Co-location requirements that must hold for the pod to be scheduled.')),
  }),
);

const podAntiAffinity = model<V1PodAntiAffinity>()(
  z.object({
    preferredDuringSchedulingIgnoredDuringExecution: z
      .optional(atomicList(weightedPodAffinityTerm))
      .check(z.describe('Separation preferences the scheduler tries to satisfy.')),
    requiredDuringSchedulingIgnoredDuringExecution: z
      .optional(atomicList(podAffinityTerm))
      .check(z.describe('Separation requirements that must hold for the pod to be scheduled.')),
  }),
);

export const affinity = model<V1Affinity>()(
  z.object({
    nodeAffinity: z.optional(nodeAffinity).check(z.describe('Which nodes the pods may or should run on.')),
    podAffinity: z.optional(podAffinity).check(z.describe('Which pods these pods should run near.')),
    podAntiAffinity: z
      .optional(podAntiAffinity)
      .check(z.describe('Which pods these pods should run away from.')),
  }),
);

export const topologySpreadConstraint = model<V1TopologySpreadConstraint>()(
  z.object({
    labelSelector: z
      .optional(labelSelector)
      .check(z.describe('Selects the pods counted in each topology domain.')),
    matchLabelKeys: z
      .optional(atomicList(z.string()))
      .check(
        z.describe('Label keys whose values are taken from the incoming pod to narrow the counted pods.'),
      ),
    maxSkew: int32().check(
      z.minimum(1),
      z.describe('The largest allowed difference in matching pods between two topology domains.'),
    ),
    minDomains: z
      .optional(int32().check(z.minimum(1)))
      .check(
        z.describe('The minimum number of eligible domains; only with whenUnsatisfiable DoNotSchedule.'),
      ),
    nodeAffinityPolicy: z
      .optional(z.enum(['Honor', 'Ignore']))
      .check(z.describe('Whether node affinity and selectors limit the counted domains (default Honor).')),
    nodeTaintsPolicy: z
      .optional(z.enum(['Honor', 'Ignore']))
      .check(z.describe('Whether node taints limit the counted domains (default Ignore).')),
    topologyKey: z
      .string()
      .check(z.minLength(1), z.describe('The node label that defines a topology domain.')),
    whenUnsatisfiable: z
      .enum(['DoNotSchedule', 'ScheduleAnyway'])
      .check(z.describe('What the scheduler does when the constraint cannot be met.')),
  }),
);

export const secretKeySelector = model<V1SecretKeySelector>()(
  atomicMap(
    z.object({
      key: z.string().check(z.describe('The key within the secret.')),
      name: z._default(z.string(), '').check(z.describe('The name of the secret, in the operand namespace.')),
      optional: z.optional(z.boolean()).check(z.describe('Whether a missing secret or key is allowed.')),
    }),
  ),
);
