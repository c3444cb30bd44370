import * as z from 'zod/mini';
import { rawObject } from './k8s.ts';
import { kubernetesObject } from './meta.ts';
import { configOpenShiftGroupVersion } from '../names.ts';

/**
 * The fields of `ingresses.config.openshift.io/cluster` the apps read: the apps domain, from which
 * OpenShift's router makes `<route>-<namespace>.<domain>` for a Route without a host. On OpenShift the
 * CRD exists already; this schema backs one for tests and local runs.
 */
export const ingressConfigSpec = z
  .object({
    domain: z
      .optional(z.string())
      .check(z.describe('The cluster’s default apps domain: routes without a host get <name>-<namespace>.<domain>.')),
    appsDomain: z
      .optional(z.string())
      .check(
        z.describe('An alternative domain for user-created routes; the default domain still applies to generated hosts.'),
      ),
  })
  .check(z.describe('Cluster-wide ingress settings chosen by the administrator.'));

export const ingressConfig = kubernetesObject({
  apiVersion: configOpenShiftGroupVersion,
  kind: 'Ingress',
  spec: ingressConfigSpec,
  status: rawObject().check(z.describe('What the ingress operator observed; not read by the apps.')),
});
export type IngressConfig = z.infer<typeof ingressConfig>;
