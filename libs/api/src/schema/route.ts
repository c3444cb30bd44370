import { z } from 'zod';
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
  kind: z.enum(['Service', '']).default('Service').describe('Service, the only supported kind.'),
  name: z.string().min(1).describe('The Service name.'),
  weight: int32().min(0).max(256).default(100).describe('Relative share of traffic, 0 to 256 (default 100).'),
});

const tls = cel(
  z.object({
    termination: z
      .enum(['edge', 'reencrypt', 'passthrough'])
      .describe(
        'Where TLS ends: edge (the router), reencrypt (the router, then TLS again to the pod) or passthrough (the pod).',
      ),
    certificate: z.string().optional().describe('PEM serving certificate of the host.'),
    key: z.string().optional().describe('PEM private key of the certificate.'),
    caCertificate: z.string().optional().describe('PEM CA certificates completing the chain of certificate.'),
    destinationCACertificate: z
      .string()
      .optional()
      .describe('PEM CA the router trusts for the backend (reencrypt only).'),
    insecureEdgeTerminationPolicy: z
      .enum(['Allow', 'None', 'Redirect', ''])
      .optional()
      .describe('What happens to plain HTTP requests: None (refused), Allow or Redirect.'),
    externalCertificate: z
      .object({
        name: z.string().optional().describe('A kubernetes.io/tls Secret in the Route’s namespace.'),
      })
      .meta({ 'x-kubernetes-map-type': 'atomic' })
      .optional()
      .describe('Serve the certificate from a Secret instead of certificate and key.'),
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
      .string()
      .max(253)
      .regex(hostnamePattern, 'must be a DNS name')
      .optional()
      .describe('The external hostname; empty lets the router generate one.'),
    subdomain: z
      .string()
      .max(253)
      .regex(hostnamePattern, 'must be a DNS name')
      .optional()
      .describe('A label the router expands with its domain; ignored when host is set.'),
    path: z
      .string()
      .regex(/^\//, 'must start with /')
      .optional()
      .describe('Only requests under this path are routed.'),
    to: targetReference.describe('The Service receiving the traffic.'),
    alternateBackends: mapList(targetReference, ['name', 'kind'])
      .max(3)
      .optional()
      .describe('Further Services sharing the traffic by weight.'),
    port: z
      .object({ targetPort: intOrString().describe('The Service port, by number or name.') })
      .optional()
      .describe('Which Service port receives the traffic.'),
    tls: tls.optional().describe('TLS settings; absent means plain HTTP.'),
    wildcardPolicy: z
      .enum(['None', 'Subdomain', ''])
      .default('None')
      .describe('Whether the route also serves every host of its subdomain.'),
    httpHeaders: rawObject()
      .optional()
      .describe('Header rewriting performed by the router; kept as written.'),
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
).describe('Where the route sends traffic and how it terminates TLS.');

const routeIngressCondition = z.object({
  type: z.string().describe('Admitted, or another condition.'),
  status: z.enum(['True', 'False', 'Unknown']).describe('True, False or Unknown.'),
  lastTransitionTime: timestamp().optional().describe('When status last changed.'),
  reason: z.string().optional().describe('Why, in one CamelCase word.'),
  message: z.string().optional().describe('Why, for people.'),
});

export const routeStatus = z
  .object({
    ingress: z
      .array(
        z.object({
          host: z.string().optional().describe('The host the router admitted.'),
          routerName: z.string().optional().describe('The router that admitted it.'),
          conditions: mapList(routeIngressCondition, ['type'])
            .optional()
            .describe('Admission state in that router.'),
          wildcardPolicy: z.string().optional().describe('The wildcard policy the router applied.'),
          routerCanonicalHostname: z
            .string()
            .optional()
            .describe('The router’s external hostname, for DNS CNAMEs.'),
        }),
      )
      .meta({ 'x-kubernetes-list-type': 'atomic' })
      .optional()
      .describe('One entry per router that considered the route.'),
  })
  .describe('What the routers did with the route.');

export const route = kubernetesObject({
  apiVersion: routeGroupVersion,
  kind: 'Route',
  spec: routeSpec,
  status: routeStatus,
});
export type Route = z.infer<typeof route>;
export type RouteInput = z.input<typeof route>;
