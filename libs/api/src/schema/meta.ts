import * as z from 'zod/mini';
import { stringMap } from './k8s.ts';

/**
 * Object metadata as read from the API server. Only the fields the apps use are typed; everything else
 * is kept. In CRDs metadata is always emitted as a bare `type: object`: the API server validates it.
 */
export const objectMeta = z.looseObject({
  name: z.optional(z.string()),
  generateName: z.optional(z.string()),
  namespace: z.optional(z.string()),
  uid: z.optional(z.string()),
  resourceVersion: z.optional(z.string()),
  generation: z.optional(z.int()),
  creationTimestamp: z.optional(z.string()),
  deletionTimestamp: z.optional(z.string()),
  labels: z.optional(stringMap()),
  annotations: z.optional(stringMap()),
  finalizers: z.optional(z.array(z.string())),
  ownerReferences: z.optional(
    z.array(z.looseObject({ apiVersion: z.string(), kind: z.string(), name: z.string(), uid: z.string() })),
  ),
});
export type ObjectMeta = z.infer<typeof objectMeta>;

/**
 * A top-level object schema. `apiVersion` and `kind` may be absent (some list responses omit them) but
 * when present must name this type. A `singleton` may only carry that name; the CRD says so on
 * metadata.name, the one metadata field a CRD may restrict.
 */
export function kubernetesObject<Spec extends z.ZodMiniType, Status extends z.ZodMiniType>(options: {
  apiVersion: string;
  kind: string;
  spec: Spec;
  status: Status;
  singleton?: string;
}) {
  const metadata =
    options.singleton === undefined
      ? objectMeta
      : z.extend(objectMeta, {
          name: z
            .optional(
              z.literal(options.singleton, {
                error: `must be ${options.singleton}: there is exactly one ${options.kind} per cluster`,
              }),
            )
            .check(
              z.describe(`Always ${options.singleton}: there is exactly one ${options.kind} per cluster.`),
            ),
        });
  return z.object({
    apiVersion: z.optional(z.literal(options.apiVersion)),
    kind: z.optional(z.literal(options.kind)),
    metadata,
    spec: options.spec,
    status: z.optional(options.status),
  });
}
