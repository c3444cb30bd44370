import * as z from 'zod/mini';
import { cel, has, int32, intOrString, mapList, rawObject, timestamp } from './k8s.ts';
import { kubernetesObject } from './meta.ts';
import { routeGroupVersion } from '../names.ts';

/**
 * The Route fields the apps write and read (route.openshift.io/v1). On OpenShift the API server serves
 * Routes; this schema backs a CRD for tests and local runs, with OpenShift's TLS rules as CEL.
 */

const hostnamePattern =
  /^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9])(\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9]))*$/;

const pemFields = ['certificate', 'key', 'caCertificate', 'destinationCACertificate'] as const;

const targetReference = z.object({
  kind: z._default(z.enum(['Service', '']), 'Service').check(z.describe('Service, the only supported kind.')),
  name: z.string().check(z.minLength(1), z.describe('The Service name.')),
  weight: z
    ._default(int32().check(z.minimum(0), z.maximum(256)), 100)
    .check(z.describe('Relative share of traffic, 0 to 256 (default 100).')),
});

const tls = cel(
  z.object({
    termination: z
      .enum(['edge', 'reencrypt', 'passthrough'])
      .check(
        z.describe(
          'Where TLS ends: edge (the router), reencrypt (the router, then TLS again to the pod) or passthrough (the pod).',
        ),
      ),
    certificate: z.optional(z.string()).check(z.describe('PEM serving certificate of the host.')),
    key: z.optional(z.string()).check(z.describe('PEM private key of the certificate.')),
    caCertificate: z
      .optional(z.string())
      .check(z.describe('PEM CA certificates completing the chain of certificate.')),
    destinationCACertificate: z
      .optional(z.string())
      .check(z.describe('PEM CA the router trusts for the backend (reencrypt only).')),
    insecureEdgeTerminationPolicy: z
      .optional(z.enum(['Allow', 'None', 'Redirect', '']))
      .check(z.describe('What happens to plain HTTP requests: None (refused), Allow or Redirect.')),
    externalCertificate: z
      .optional(
        z
          .object({
            name: z
              .optional(z.string())
              .check(z.describe('A kubernetes.io/tls Secret in the Route’s namespace.')),
          })
          .check(z.meta({ 'x-kubernetes-map-type': 'atomic' })),
      )
      .check(z.describe('Serve the certificate from a Secret instead of certificate and key.')),
  }),
  {
    rule: "has(self.termination) && has(self.insecureEdgeTerminationPolicy) ? !((self.termination=='passthrough') && (self.insecureEdgeTerminationPolicy=='Allow')) : true",
    message:
      'cannot have both spec.tls.termination: passthrough and spec.tls.insecureEdgeTerminationPolicy: Allow',
    check: (self) => !(self.termination === 'passthrough' && self.insecureEdgeTerminationPolicy === 'Allow'),
  },
  {
    rule: '!(has(self.certificate) && has(self.externalCertificate))',
    message: 'cannot have both spec.tls.certificate and spec.tls.externalCertificate',
    check: (self) => !(has(self, 'certificate') && has(self, 'externalCertificate')),
  },
  {
    rule:
      "self.termination != 'passthrough' || " +
      pemFields.map((f) => `(!has(self.${f}) || self.${f} == '')`).join(' && '),
    message: 'passthrough routes cannot carry certificate, key, caCertificate or destinationCACertificate',
    check: (self) => self.termination !== 'passthrough' || pemFields.every((f) => (self[f] ?? '') === ''),
  },
  {
    rule: "self.termination == 'edge' ? !has(self.destinationCACertificate) || self.destinationCACertificate == '' : true",
    message: 'edge routes cannot carry destinationCACertificate',
    check: (self) => self.termination !== 'edge' || (self.destinationCACertificate ?? '') === '',
  },
);

export const routeSpec = cel(
  z.object({
    host: z
      .optional(z.string().check(z.maxLength(253), z.regex(hostnamePattern, 'must be a DNS name')))
      .check(z.describe('The external hostname; empty lets the router generate one.')),
    subdomain: z
      .optional(z.string().check(z.maxLength(253), z.regex(hostnamePattern, 'must be a DNS name')))
      .check(z.describe('A label the router expands with its domain; ignored when host is set.')),
    path: z
      .optional(z.string().check(z.regex(/^\//, 'must start with /')))
      .check(z.describe('Only requests under this path are routed.')),
    to: targetReference.check(z.describe('The Service receiving the traffic.')),
    alternateBackends: z
      .optional(mapList(targetReference, ['name', 'kind']).check(z.maxLength(3)))
      .check(z.describe('Further Services sharing the traffic by weight.')),
    port: z
      .optional(
        z.object({ targetPort: intOrString().check(z.describe('The Service port, by number or name.')) }),
      )
      .check(z.describe('Which Service port receives the traffic.')),
    tls: z.optional(tls).check(z.describe('TLS settings; absent means plain HTTP.')),
    wildcardPolicy: z
      ._default(z.enum(['None', 'Subdomain', '']), 'None')
      .check(z.describe('Whether the route also serves every host of its subdomain.')),
    httpHeaders: z
      .optional(rawObject())
      .check(z.describe('Header rewriting performed by the router; kept as written.')),
  }),
  {
    rule: "!has(self.tls) || self.tls.termination != 'passthrough' || !has(self.httpHeaders)",
    message: 'header actions are not permitted when tls termination is passthrough.',
    check: (self) => self.tls?.termination !== 'passthrough' || self.httpHeaders === undefined,
  },
  {
    rule: "!has(self.tls) || self.tls.termination != 'passthrough' || !has(self.path) || self.path == ''",
    message: 'passthrough routes cannot have a path',
    check: (self) => self.tls?.termination !== 'passthrough' || (self.path ?? '') === '',
  },
  {
    rule: "self.wildcardPolicy != 'Subdomain' || (has(self.host) && self.host != '')",
    message: 'host is required when wildcardPolicy is Subdomain',
    check: (self) => self.wildcardPolicy !== 'Subdomain' || (self.host ?? '') !== '',
  },
).check(z.describe('Where the route sends traffic and how it terminates TLS.'));

const routeIngressCondition = z.object({
  type: z.string().check(z.describe('Admitted, or another condition.')),
  status: z.enum(['True', 'False', 'Unknown']).check(z.describe('True, False or Unknown.')),
  lastTransitionTime: z.optional(timestamp()).check(z.describe('When status last changed.')),
  reason: z.optional(z.string()).check(z.describe('Why, in one CamelCase word.')),
  message: z.optional(z.string()).check(z.describe('Why, for people.')),
});

export const routeStatus = z
  .object({
    ingress: z
      .optional(
        z
          .array(
            z.object({
              host: z.optional(z.string()).check(z.describe('The host the router admitted.')),
              routerName: z.optional(z.string()).check(z.describe('The router that admitted it.')),
              conditions: z
                .optional(mapList(routeIngressCondition, ['type']))
                .check(z.describe('Admission state in that router.')),
              wildcardPolicy: z
                .optional(z.string())
                .check(z.describe('The wildcard policy the router applied.')),
              routerCanonicalHostname: z
                .optional(z.string())
                .check(z.describe('The router’s external hostname, for DNS CNAMEs.')),
            }),
          )
          .check(z.meta({ 'x-kubernetes-list-type': 'atomic' })),
      )
      .check(z.describe('One entry per router that considered the route.')),
  })
  .check(z.describe('What the routers did with the route.'));

export const route = kubernetesObject({
  apiVersion: routeGroupVersion,
  kind: 'Route',
  spec: routeSpec,
  status: routeStatus,
});
export type Route = z.infer<typeof route>;
export type RouteInput = z.input<typeof route>;
