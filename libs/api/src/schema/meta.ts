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
  ownerReferences: z
    .array(z.looseObject({ apiVersion: z.string(), kind: z.string(), name: z.string(), uid: z.string() }))
    .optional(),
});
export type ObjectMeta = z.infer<typeof objectMeta>;

/**
 * A top-level object schema. `apiVersion` and `kind` may be absent (some list responses omit them) but
 * when present must name this type. A `singleton` may only carry that name; the CRD says so on
 * metadata.name, the one metadata field a CRD may restrict.
 */
export function kubernetesObject<Spec extends z.ZodType, Status extends z.ZodType>(options: {
  apiVersion: string;
  kind: string;
  spec: Spec;
  status: Status;
  singleton?: string;
}) {
  const metadata =
    options.singleton === undefined
      ? objectMeta
      : objectMeta.extend({
          name: z
            .literal(options.singleton, {
              error: `must be ${options.singleton}: there is exactly one ${options.kind} per cluster`,
            })
            .optional()
            .describe(`Always ${options.singleton}: there is exactly one ${options.kind} per cluster.`),
        });
  return z.object({
    apiVersion: z.literal(options.apiVersion).optional(),
    kind: z.literal(options.kind).optional(),
    metadata,
    spec: options.spec,
    status: options.status.optional(),
  });
}
