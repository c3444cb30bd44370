import type { KubeObject, ObjectMeta, OwnerReference } from '@image-registry/controller-runtime';

/** The networking.k8s.io/v1 Ingress fields this app writes and reads. */
export interface IngressObject extends KubeObject {
  metadata?: ObjectMeta;
  spec?: {
    ingressClassName?: string;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: {
      host?: string;
      http?: {
        paths: {
          path?: string;
          pathType: string;
          backend: { service?: { name: string; port: { number?: number; name?: string } } };
        }[];
      };
    }[];
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface IngressRenderInput {
  name: string;
  namespace: string;
  host: string;
  serviceName: string;
  servicePort: number;
  /** Empty: the cluster's default IngressClass. */
  ingressClassName: string;
  /** Controller-specific settings from the app's flags (re-encryption to the HTTPS backend). */
  annotations: Record<string, string>;
  /** Empty: the ingress controller's default certificate. */
  secretName: string;
  annotation: string;
  owner?: OwnerReference | undefined;
}

/**
 * The Ingress counterpart of a registry Route: one rule for the host, every path to the registry
 * Service, TLS for the host (from the route's secret, else the controller's default certificate).
 */
export function renderIngress(input: IngressRenderInput): IngressObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      // The marker last: a flag cannot take it away.
      annotations: { ...input.annotations, [input.annotation]: 'true' },
      ...(input.owner ? { ownerReferences: [input.owner] } : {}),
    },
    spec: {
      ...(input.ingressClassName ? { ingressClassName: input.ingressClassName } : {}),
      tls: [{ hosts: [input.host], ...(input.secretName ? { secretName: input.secretName } : {}) }],
      rules: [
        {
          host: input.host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: input.serviceName, port: { number: input.servicePort } } },
              },
            ],
          },
        },
      ],
    },
  };
}

/** The Ingress's hosts, once its controller reports an address: before that nobody serves them. */
export function ingressHosts(ingress: IngressObject): string[] {
  if (!(ingress.status?.loadBalancer?.ingress ?? []).some((i) => i.ip || i.hostname)) return [];
  return (ingress.spec?.rules ?? []).map((r) => r.host ?? '').filter((h) => h !== '');
}
