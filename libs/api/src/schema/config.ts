import * as z from 'zod/mini';
import { affinity, resourceRequirements, toleration, topologySpreadConstraint } from './core.ts';
import { atomicList, atomicMap, cel, goDuration, int32, int64, objectName, stringMap } from './k8s.ts';
import { kubernetesObject } from './meta.ts';
import { operatorSpecFields, operatorStatusFields } from './operator.ts';
import { storage } from './storage.ts';
import { configGroupVersion, defaultRouteName, singletonName as clusterName } from '../names.ts';

const requestLimits = z.object({
  maxRunning: z
    .optional(z.int().check(z.minimum(0)))
    .check(z.describe('How many requests may run at once; 0 means no limit.')),
  maxInQueue: z
    .optional(z.int().check(z.minimum(0)))
    .check(z.describe('How many requests may wait for a slot; 0 means no limit.')),
  maxWaitInQueue: z
    .optional(goDuration())
    .check(z.describe('How long a request may wait for a slot before it is rejected, e.g. 30s.')),
});

const route = z.object({
  name: cel(objectName(), {
    rule: `self != '${defaultRouteName}'`,
    message: `${defaultRouteName} is reserved for the default route; set spec.defaultRoute: true instead`,
    check: (self) => self !== defaultRouteName,
  }).check(
    z.describe('The name of the Route (or Ingress) object created for this entry, in the operand namespace.'),
  ),
  hostname: z
    .optional(
      z
        .string()
        .check(
          z.maxLength(253),
          z.regex(
            /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
            'must be a lowercase DNS name',
          ),
        ),
    )
    .check(z.describe('The external hostname. Left empty, the router or ingress controller assigns one.')),
  secretName: z
    .optional(objectName())
    .check(
      z.describe(
        'A TLS secret in the operand namespace (keys tls.crt, tls.key and optionally tls.cacrt) serving this hostname.',
      ),
    ),
});

/** How many extra routes a registry may have; bounds the cost of the uniqueness rule. */
export const maxRoutes = 64;

export const configSpec = z
  .object({
    ...operatorSpecFields,
    httpSecret: z
      .optional(z.string())
      .check(
        z.describe(
          'The secret the registry signs upload state with. Left empty, the operator generates one; all replicas share it.',
        ),
      ),
    proxy: z
      .optional(
        z.object({
          http: z
            .optional(z.string())
            .check(z.describe('Proxy URL for plain HTTP requests of the registry, e.g. to storage.')),
          https: z.optional(z.string()).check(z.describe('Proxy URL for HTTPS requests of the registry.')),
          noProxy: z
            .optional(z.string())
            .check(z.describe('Comma-separated hosts, domains and CIDRs reached without the proxy.')),
        }),
      )
      .check(
        z.describe(
          'Proxy settings for the registry’s outgoing requests; they take precedence over the cluster proxy.',
        ),
      ),
    storage: z
      .optional(storage)
      .check(z.describe('Where the registry keeps image data. Set exactly one backend.')),
    readOnly: z
      .optional(z.boolean())
      .check(z.describe('Refuse pushes and deletes; pulls keep working. Useful during maintenance.')),
    disableRedirect: z
      .optional(z.boolean())
      .check(
        z.describe(
          'Serve blob data through the registry instead of redirecting clients to the storage backend.',
        ),
      ),
    requests: z
      .optional(
        atomicMap(
          z.object({
            read: z.optional(requestLimits).check(z.describe('Limits for pulls.')),
            write: z.optional(requestLimits).check(z.describe('Limits for pushes.')),
          }),
        ),
      )
      .check(z.describe('Limits on concurrent requests the registry serves.')),
    defaultRoute: z
      .optional(z.boolean())
      .check(
        z.describe(
          `Expose the registry outside the cluster under the generated default host (route ${defaultRouteName}).`,
        ),
      ),
    routes: z
      .optional(
        cel(atomicList(route).check(z.maxLength(maxRoutes)), {
          rule: 'self.all(r, self.exists_one(o, o.name == r.name))',
          message: 'route names must be unique',
          check: (self) => new Set(self.map((r) => r.name)).size === self.length,
        }),
      )
      .check(
        z.describe('Extra external routes to the registry, each with its own hostname and certificate.'),
      ),
    replicas: int32().check(z.minimum(0), z.describe('How many registry pods to run.')),
    logging: z.optional(int64()).check(z.describe('Deprecated and ignored; use logLevel.')),
    resources: z
      .optional(resourceRequirements)
      .check(z.describe('CPU and memory requests and limits of the registry container.')),
    nodeSelector: z
      .optional(stringMap())
      .check(z.describe('Node labels the registry pods must be scheduled on.')),
    tolerations: z.optional(atomicList(toleration)).check(z.describe('Taints the registry pods tolerate.')),
    rolloutStrategy: z
      .optional(z.enum(['RollingUpdate', 'Recreate']))
      .check(
        z.describe(
          'How registry pods are replaced: RollingUpdate (default) or Recreate, needed with ReadWriteOnce volumes.',
        ),
      ),
    affinity: z.optional(affinity).check(z.describe('Scheduling constraints of the registry pods.')),
    topologySpreadConstraints: z
      .optional(atomicList(topologySpreadConstraint))
      .check(
        z.describe(
          'How registry pods spread across zones and nodes. Left empty, the operator spreads them by zone and node.',
        ),
      ),
  })
  .check(z.describe('The desired state of the registry. Every field is optional except replicas.'));
export type ConfigSpec = z.infer<typeof configSpec>;

export const configStatus = z
  .object({
    ...operatorStatusFields,
    storageManaged: z
      .optional(z.boolean())
      .check(
        z.describe('Deprecated: whether the operator manages the storage; see storage.managementState.'),
      ),
    storage: z
      .optional(storage)
      .check(z.describe('The storage the registry currently uses, as completed by the storage controller.')),
  })
  .check(z.describe('What the operator observed and did, written by its controllers.'));
export type ConfigStatus = z.infer<typeof configStatus>;

export const config = kubernetesObject({
  apiVersion: configGroupVersion,
  kind: 'Config',
  spec: configSpec,
  status: configStatus,
  singleton: clusterName,
});
export type Config = z.infer<typeof config>;
export type ConfigInput = z.input<typeof config>;
