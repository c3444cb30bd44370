import { z } from 'zod';
import { affinity, resourceRequirements, toleration, topologySpreadConstraint } from './core.ts';
import { atomicList, atomicMap, cel, goDuration, int32, int64, objectName, stringMap } from './k8s.ts';
import { kubernetesObject } from './meta.ts';
import { operatorSpecFields, operatorStatusFields } from './operator.ts';
import { storage } from './storage.ts';
import { configGroupVersion, defaultRouteName, singletonName as clusterName } from '../names.ts';

const requestLimits = z.object({
  maxRunning: z.int().min(0).optional().describe('How many requests may run at once; 0 means no limit.'),
  maxInQueue: z.int().min(0).optional().describe('How many requests may wait for a slot; 0 means no limit.'),
  maxWaitInQueue: goDuration()
    .optional()
    .describe('How long a request may wait for a slot before it is rejected, e.g. 30s.'),
});

const route = z.object({
  name: cel(objectName(), {
    rule: `self != '${defaultRouteName}'`,
    message: `${defaultRouteName} is reserved for the default route; set spec.defaultRoute: true instead`,
    check: (self) => self !== defaultRouteName,
  }).describe('The name of the Route (or Ingress) object created for this entry, in the operand namespace.'),
  hostname: z
    .string()
    .max(253)
    .regex(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
      'must be a lowercase DNS name',
    )
    .optional()
    .describe('The external hostname. Left empty, the router or ingress controller assigns one.'),
  secretName: objectName()
    .optional()
    .describe(
      'A TLS secret in the operand namespace (keys tls.crt, tls.key and optionally tls.cacrt) serving this hostname.',
    ),
});

/** How many extra routes a registry may have; bounds the cost of the uniqueness rule. */
export const maxRoutes = 64;

export const configSpec = z
  .object({
    ...operatorSpecFields,
    httpSecret: z
      .string()
      .optional()
      .describe(
        'The secret the registry signs upload state with. Left empty, the operator generates one; all replicas share it.',
      ),
    proxy: z
      .object({
        http: z
          .string()
          .optional()
          .describe('Proxy URL for plain HTTP requests of the registry, e.g. to storage.'),
        https: z.string().optional().describe('Proxy URL for HTTPS requests of the registry.'),
        noProxy: z
          .string()
          .optional()
          .describe('Comma-separated hosts, domains and CIDRs reached without the proxy.'),
      })
      .optional()
      .describe(
        'Proxy settings for the registry’s outgoing requests; they take precedence over the cluster proxy.',
      ),
    storage: storage.optional().describe('Where the registry keeps image data. Set exactly one backend.'),
    readOnly: z
      .boolean()
      .optional()
      .describe('Refuse pushes and deletes; pulls keep working. Useful during maintenance.'),
    disableRedirect: z
      .boolean()
      .optional()
      .describe(
        'Serve blob data through the registry instead of redirecting clients to the storage backend.',
      ),
    requests: atomicMap(
      z.object({
        read: requestLimits.optional().describe('Limits for pulls.'),
        write: requestLimits.optional().describe('Limits for pushes.'),
      }),
    )
      .optional()
      .describe('Limits on concurrent requests the registry serves.'),
    defaultRoute: z
      .boolean()
      .optional()
      .describe(
        `Expose the registry outside the cluster under the generated default host (route ${defaultRouteName}).`,
      ),
    routes: cel(atomicList(route).max(maxRoutes), {
      rule: 'self.all(r, self.exists_one(o, o.name == r.name))',
      message: 'route names must be unique',
      check: (self) => new Set(self.map((r) => r.name)).size === self.length,
    })
      .optional()
      .describe('Extra external routes to the registry, each with its own hostname and certificate.'),
    replicas: int32().min(0).describe('How many registry pods to run.'),
    logging: int64().optional().describe('Deprecated and ignored; use logLevel.'),
    resources: resourceRequirements
      .optional()
      .describe('CPU and memory requests and limits of the registry container.'),
    nodeSelector: stringMap().optional().describe('Node labels the registry pods must be scheduled on.'),
    tolerations: atomicList(toleration).optional().describe('Taints the registry pods tolerate.'),
    rolloutStrategy: z
      .enum(['RollingUpdate', 'Recreate'])
      .optional()
      .describe(
        'How registry pods are replaced: RollingUpdate (default) or Recreate, needed with ReadWriteOnce volumes.',
      ),
    affinity: affinity.optional().describe('Scheduling constraints of the registry pods.'),
    topologySpreadConstraints: atomicList(topologySpreadConstraint)
      .optional()
      .describe(
        'How registry pods spread across zones and nodes. Left empty, the operator spreads them by zone and node.',
      ),
  })
  .describe('The desired state of the registry. Every field is optional except replicas.');
export type ConfigSpec = z.infer<typeof configSpec>;

export const configStatus = z
  .object({
    ...operatorStatusFields,
    storageManaged: z
      .boolean()
      .optional()
      .describe('Deprecated: whether the operator manages the storage; see storage.managementState.'),
    storage: storage
      .optional()
      .describe('The storage the registry currently uses, as completed by the storage controller.'),
  })
  .describe('What the operator observed and did, written by its controllers.');
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
