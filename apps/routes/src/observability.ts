// What the routes app tells an admin beyond its conditions: a Warning Event when a router refuses one of
// the registry's Routes (status.ingress[].conditions Admitted=False), and the live log level from
// Config/cluster spec.operatorLogLevel.
import { operatorLogLevelOf, processLogLevel } from '@image-registry/api';
import { eventRecorder, eventRef, followLogLevel, recordChanges, type KubeObject, type Manager } from '@image-registry/controller-runtime';
import { ConfigResource, RouteResource, names } from './resources.ts';

interface RouteIngress {
  routerName?: string;
  conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
}
type RouteLike = KubeObject & { status?: { ingress?: RouteIngress[] } };

function refusals(r: RouteLike | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const ing of r?.status?.ingress ?? []) {
    const c = ing.conditions?.find((x) => x.type === 'Admitted' && x.status === 'False');
    if (c) out.set(ing.routerName ?? '', `${c.reason ?? 'NotAdmitted'}: ${c.message ?? ''}`.trim());
  }
  return out;
}

/** A router newly refused the Route. */
export function routeNotAdmitted(old: RouteLike | undefined, obj: RouteLike) {
  const before = refusals(old);
  const fresh = [...refusals(obj)].filter(([router]) => !before.has(router));
  if (fresh.length === 0) return undefined;
  return {
    regarding: eventRef(obj, { apiVersion: 'route.openshift.io/v1', kind: 'Route' }),
    type: 'Warning' as const,
    reason: 'RouteNotAdmitted',
    action: 'Admit',
    note: `Route ${obj.metadata?.name ?? ''} is not admitted by ${fresh.map(([router, why]) => `router ${router || '(unnamed)'} (${why})`).join(', ')}; its host is not published.`,
  };
}

export function observeRoutes(mgr: Manager, namespace: string, backend: 'Route' | 'Ingress'): void {
  if (backend === 'Route') {
    recordChanges(mgr, mgr.informer<RouteLike>(RouteResource, { namespace }), eventRecorder(mgr, namespace), routeNotAdmitted);
  }
  followLogLevel(mgr, ConfigResource, names.config, (c) => processLogLevel(operatorLogLevelOf(c)));
}
