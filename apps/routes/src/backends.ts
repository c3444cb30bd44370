import type { KubeObject, OwnerReference, ResourceType } from '@image-registry/controller-runtime';
import { renderIngress, ingressHosts, type IngressObject } from './render/ingress.ts';
import { generatedHost, type Rendered, type RouteRequest } from './render/requests.ts';
import { renderRoute, routeAdmissionProblems, routeHosts } from './render/route.ts';
import { checkIngressSecret, routeTlsFromSecret, type SecretData } from './render/tls.ts';
import {
  IngressResource,
  RouteResource,
  names,
  ownerAnnotation,
  type IngressConfigObject,
  type RouteObject,
} from './resources.ts';
import type { Reader } from './reader.ts';

/** What rendering one route may look at: all read from caches by the reconciler. */
export interface RenderContext {
  namespace: string;
  owner: OwnerReference | undefined;
  secret(name: string): SecretData | undefined;
}

/** The two ways to expose the registry: OpenShift Routes, or Kubernetes Ingresses. */
export interface Backend<T extends KubeObject = KubeObject> {
  readonly kind: 'Route' | 'Ingress';
  readonly resource: ResourceType<T>;
  render(req: RouteRequest, ctx: RenderContext): Rendered<T>;
  /** The hosts that clients can reach through this object now. */
  hosts(obj: T): string[];
  /** Admission failures, in upstream's words. */
  problems(obj: T): string[];
}

export interface IngressBackendOptions {
  /** `--default-route-domain`: hosts of routes without one are `<name>-<namespace>.<domain>`. */
  domain: string;
  ingressClassName: string;
  annotations: Record<string, string>;
  servicePort: number;
}

export function ingressBackend(opts: IngressBackendOptions): Backend<IngressObject> {
  return {
    kind: 'Ingress',
    resource: IngressResource,
    render(req, ctx) {
      let host = req.hostname;
      if (!host) {
        if (!opts.domain) {
          const field = req.isDefault ? 'spec.defaultRoute' : `spec.routes ${req.name} hostname`;
          return {
            ok: false,
            problem: {
              reason: 'HostUnknown',
              message:
                `route ${req.name} has no host (${field}): an Ingress gets none from the cluster; ` +
                `set the hostname, or start the routes app with --default-route-domain=<apps domain>`,
            },
          };
        }
        host = generatedHost(req.name, ctx.namespace, opts.domain);
      }
      if (req.secretName) {
        const problem = checkIngressSecret(ctx.secret(req.secretName), {
          secretName: req.secretName,
          namespace: ctx.namespace,
          routeName: req.name,
        });
        if (problem) return { ok: false, problem };
      }
      return {
        ok: true,
        value: renderIngress({
          name: req.name,
          namespace: ctx.namespace,
          host,
          serviceName: names.service,
          servicePort: opts.servicePort,
          ingressClassName: opts.ingressClassName,
          annotations: opts.annotations,
          secretName: req.secretName,
          annotation: ownerAnnotation,
          owner: ctx.owner,
        }),
      };
    },
    hosts: ingressHosts,
    problems: () => [],
  };
}

export function routeBackend(opts: { ingressConfigs: Reader<IngressConfigObject> }): Backend<RouteObject> {
  return {
    kind: 'Route',
    resource: RouteResource,
    render(req, ctx) {
      const tls = req.secretName
        ? routeTlsFromSecret(ctx.secret(req.secretName), {
            secretName: req.secretName,
            namespace: ctx.namespace,
            routeName: req.name,
          })
        : ({ ok: true, value: {} } as const);
      if (!tls.ok) return tls;
      // The host OpenShift would allocate, made explicit when the apps domain is known, so that it
      // is the same wherever the Route API comes from (OpenShift, or a CRD and another router).
      const domain = opts.ingressConfigs.get({ name: names.ingressConfig })?.spec?.domain ?? '';
      const host = req.hostname || (domain ? generatedHost(req.name, ctx.namespace, domain) : '');
      return {
        ok: true,
        value: renderRoute({
          name: req.name,
          namespace: ctx.namespace,
          host,
          serviceName: names.service,
          tls: tls.value,
          annotation: ownerAnnotation,
          owner: ctx.owner,
        }),
      };
    },
    hosts: routeHosts,
    problems: routeAdmissionProblems,
  };
}

/** Objects carrying the ownership marker (its presence is what counts, upstream). */
export function ownedBy<T extends KubeObject>(objects: readonly T[], namespace: string): T[] {
  return objects.filter(
    (o) => o.metadata?.namespace === namespace && o.metadata.annotations?.[ownerAnnotation] !== undefined,
  );
}
