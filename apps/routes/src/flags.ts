import { OptionsError, type AppOptions, type ExtraFlag } from '@image-registry/controller-runtime';

/** The app's name: field manager `image-registry-operator/routes`, Lease `routes-leader`. */
export const appName = 'routes';

/** Flags of the routes app besides the common ones (--kubeconfig, --namespace, --metrics-bind-address…). */
export const routesFlags = {
  'route-api': {
    type: 'string',
    env: 'IRO_ROUTE_API',
    default: 'auto',
    description:
      'auto (Routes where route.openshift.io is served, else Ingresses; re-checked, and the app restarts when it changes), route or ingress',
  },
  'api-discovery-interval': {
    type: 'string',
    env: 'IRO_API_DISCOVERY_INTERVAL',
    default: '60s',
    description: 'how often --route-api=auto checks whether the Route API appeared or went away',
  },
  'default-route-domain': {
    type: 'string',
    env: 'IRO_DEFAULT_ROUTE_DOMAIN',
    default: '',
    description:
      'Ingress only: apps domain of generated hosts (default-route-<namespace>.<domain>, <route>-<namespace>.<domain>)',
  },
  'ingress-class-name': {
    type: 'string',
    env: 'IRO_INGRESS_CLASS_NAME',
    default: '',
    description: 'Ingress only: spec.ingressClassName of every Ingress; empty uses the default IngressClass',
  },
  'ingress-annotations': {
    type: 'string',
    env: 'IRO_INGRESS_ANNOTATIONS',
    default: '',
    description:
      'Ingress only: extra annotations, comma-separated key=value, e.g. nginx.ingress.kubernetes.io/backend-protocol=HTTPS',
  },
} as const satisfies Record<string, ExtraFlag>;

export interface RoutesFlags {
  routeApi: 'auto' | 'route' | 'ingress';
  discoveryIntervalMs: number;
  domain: string;
  ingressClassName: string;
  annotations: Record<string, string>;
}

const hostnamePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The app's flags, checked: a bad value stops the process with a message naming the flag. */
export function parseRoutesFlags(extra: AppOptions['extra']): RoutesFlags {
  const str = (k: keyof typeof routesFlags) => String(extra[k] ?? routesFlags[k].default).trim();
  const routeApi = str('route-api');
  if (routeApi !== 'auto' && routeApi !== 'route' && routeApi !== 'ingress') {
    throw new OptionsError(`--route-api must be auto, route or ingress, got ${JSON.stringify(routeApi)}`);
  }
  const domain = str('default-route-domain').replace(/^\.+|\.+$/g, '');
  if (domain && !hostnamePattern.test(domain)) {
    throw new OptionsError(`--default-route-domain must be a lowercase DNS name such as apps.example.com, got ${JSON.stringify(domain)}`);
  }
  return {
    routeApi,
    discoveryIntervalMs: parseDuration(str('api-discovery-interval'), '--api-discovery-interval'),
    domain,
    ingressClassName: str('ingress-class-name'),
    annotations: parseAnnotations(str('ingress-annotations')),
  };
}

/** `a=b,c=d` → `{a: 'b', c: 'd'}`; values may contain `=`, not `,`. */
export function parseAnnotations(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const i = part.indexOf('=');
    const key = i > 0 ? part.slice(0, i).trim() : '';
    if (!/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(key)) {
      throw new OptionsError(`--ingress-annotations: ${JSON.stringify(part)} is not key=value with a valid annotation key`);
    }
    out[key] = part.slice(i + 1).trim();
  }
  return out;
}

function parseDuration(value: string, flag: string): number {
  const m = /^(\d+)(ms|s|m)$/.exec(value);
  if (!m) throw new OptionsError(`${flag} must be a duration such as 30s or 5m, got ${JSON.stringify(value)}`);
  const ms = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
  if (ms < 1000) throw new OptionsError(`${flag} must be at least 1s`);
  return ms;
}
