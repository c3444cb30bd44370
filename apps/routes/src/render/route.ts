import { routeGroupVersion } from '@image-registry/api';
import type { OwnerReference } from '@image-registry/controller-runtime';
import type { RouteObject } from '../resources.ts';
import type { RouteTls } from './tls.ts';

export interface RouteRenderInput {
  name: string;
  namespace: string;
  /** Empty: OpenShift allocates one from its apps domain. */
  host: string;
  serviceName: string;
  tls: RouteTls;
  annotation: string;
  owner?: OwnerReference | undefined;
}

/**
 * A registry Route exactly as upstream renders it: reencrypt to the registry Service, the
 * certificate from the route's secret, no destination CA (the router trusts the service CA).
 */
export function renderRoute(input: RouteRenderInput): RouteObject {
  return {
    apiVersion: routeGroupVersion,
    kind: 'Route',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      annotations: { [input.annotation]: 'true' },
      ...(input.owner ? { ownerReferences: [input.owner] } : {}),
    },
    spec: {
      ...(input.host ? { host: input.host } : {}),
      to: { kind: 'Service', name: input.serviceName, weight: 100 },
      tls: { termination: 'reencrypt', ...input.tls },
      wildcardPolicy: 'None',
    },
  };
}

/** Every host a router admitted for the route (`status.ingress[].host`, non-empty). */
export function routeHosts(route: RouteObject): string[] {
  return (route.status?.ingress ?? []).map((i) => i.host ?? '').filter((h) => h !== '');
}

/** Upstream's text for each router that did not admit the route: `route <n> (host <h>, router <r>) not admitted: <m>`. */
export function routeAdmissionProblems(route: RouteObject): string[] {
  const out: string[] = [];
  for (const ingress of route.status?.ingress ?? []) {
    for (const c of ingress.conditions ?? []) {
      if (c.type === 'Admitted' && c.status !== 'True') {
        out.push(
          `route ${route.metadata?.name ?? ''} (host ${ingress.host ?? ''}, router ${ingress.routerName ?? ''}) not admitted: ${c.message ?? ''}`,
        );
      }
    }
  }
  return out;
}
