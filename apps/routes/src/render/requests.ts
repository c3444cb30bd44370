import type { ConfigSpec } from '@image-registry/api';

/** One route the Config asks for: the default route or an entry of `spec.routes`. */
export interface RouteRequest {
  name: string;
  /** Empty: the router (Route) or the domain flag (Ingress) decides. */
  hostname: string;
  secretName: string;
  isDefault: boolean;
}

/** A problem only the cluster admin can fix; reported as Degraded, never retried in a loop. */
export interface Problem {
  reason: string;
  message: string;
}

export type Rendered<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/**
 * The routes `spec` asks for, default route first, then `spec.routes` in order (upstream's order).
 * Our CRD rejects duplicate names and the reserved name; OpenShift's own CRD does not, so the check
 * stays here with upstream's message.
 */
export function routeRequests(
  spec: Pick<ConfigSpec, 'defaultRoute' | 'routes'> | undefined,
  defaultRouteName: string,
): Rendered<RouteRequest[]> {
  const out: RouteRequest[] = [];
  if (spec?.defaultRoute) out.push({ name: defaultRouteName, hostname: '', secretName: '', isDefault: true });
  const seen = new Set<string>([defaultRouteName]);
  for (const r of spec?.routes ?? []) {
    if (seen.has(r.name)) {
      return {
        ok: false,
        problem: {
          reason: 'VerificationFailed',
          message:
            'unable to complete resource: duplication of names has been detected in the additional routes ' +
            `(spec.routes name ${r.name}); give each route its own name, other than ${defaultRouteName}`,
        },
      };
    }
    seen.add(r.name);
    out.push({ name: r.name, hostname: r.hostname ?? '', secretName: r.secretName ?? '', isDefault: false });
  }
  return { ok: true, value: out };
}

/**
 * The host a router generates for a route without one: `<name>-<namespace>.<domain>` (OpenShift's
 * router template), so the default route is `default-route-<namespace>.<domain>`.
 */
export function generatedHost(name: string, namespace: string, domain: string): string {
  return `${name}-${namespace}.${domain.replace(/^\.+|\.+$/g, '')}`;
}

/** Every request rendered, or the first problem: nothing is applied half-way. */
export function renderAll<T>(requests: readonly RouteRequest[], render: (r: RouteRequest) => Rendered<T>): Rendered<T[]> {
  const out: T[] = [];
  for (const r of requests) {
    const one = render(r);
    if (!one.ok) return one;
    out.push(one.value);
  }
  return { ok: true, value: out };
}
