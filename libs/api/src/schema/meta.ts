import { z } from 'zod';
import { stringMap } from './k8s.ts';

/**
 * Object metadata as read from the API server. Only the fields the apps use are typed; everything else
 * is kept. In CRDs metadata is always emitted as a bare `type: object`: the API server validates it.
 */
export const objectMeta = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.int().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  labels: stringMap().optional(),
  annotations: stringMap().optional(),
  finalizers: z.array(z.string()).optional(),
  ownerReferences: z.array(z.looseObject({ apiVersion: z.string(), kind: z.string(), name: z.string(), uid: z.string() })).optional(),
});
export type ObjectMeta = z.infer<typeof objectMeta>;

/**
 * A top-level object schema. `apiVersion` and `kind` may be absent (some list responses omit them) but
 * when present must name this type.
 */
export function kubernetesObject<Spec extends z.ZodType, Status extends z.ZodType>(options: {
  apiVersion: string;
  kind: string;
  spec: Spec;
  status: Status;
}) {
  return z.object({
    apiVersion: z.literal(options.apiVersion).optional(),
    kind: z.literal(options.kind).optional(),
    metadata: objectMeta,
    spec: options.spec,
    status: options.status.optional(),
  });
}

/** The CEL rule that pins a singleton's name. It lives on the CRD root, where metadata.name is visible. */
export function singletonName(kind: string, name: string) {
  return {
    rule: `self.metadata.name == '${name}'`,
    message: `${kind} must be named ${name}: there is exactly one per cluster`,
    fieldPath: '.metadata.name',
    check: (self: { metadata: { name?: string | undefined } }) =>
      self.metadata.name === undefined || self.metadata.name === name,
  };
}
