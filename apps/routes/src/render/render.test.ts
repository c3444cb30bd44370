import { describe, expect, it } from 'vitest';
import { externalRegistryHostnames, internalRegistryHostname } from './hostnames.ts';
import { ingressHosts, renderIngress } from './ingress.ts';
import { generatedHost, renderAll, routeRequests } from './requests.ts';
import { renderRoute, routeAdmissionProblems, routeHosts } from './route.ts';
import { checkIngressSecret, routeTlsFromSecret } from './tls.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const ref = { secretName: 'my-tls', namespace: 'ns', routeName: 'r1' };

describe('routeRequests', () => {
  it('puts the default route first, then spec.routes in order', () => {
    const r = routeRequests(
      { defaultRoute: true, routes: [{ name: 'b', hostname: 'b.example.com' }, { name: 'a', secretName: 's' }] },
      'default-route',
    );
    expect(r).toEqual({
      ok: true,
      value: [
        { name: 'default-route', hostname: '', secretName: '', isDefault: true },
        { name: 'b', hostname: 'b.example.com', secretName: '', isDefault: false },
        { name: 'a', hostname: '', secretName: 's', isDefault: false },
      ],
    });
  });

  it('asks for nothing without defaultRoute and routes', () => {
    expect(routeRequests({}, 'default-route')).toEqual({ ok: true, value: [] });
    expect(routeRequests(undefined, 'default-route')).toEqual({ ok: true, value: [] });
  });

  it('reports duplicate names and the reserved name with upstream words', () => {
    for (const routes of [[{ name: 'x' }, { name: 'x' }], [{ name: 'default-route' }]]) {
      const r = routeRequests({ routes }, 'default-route');
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.problem.reason).toBe('VerificationFailed');
        expect(r.problem.message).toContain('duplication of names has been detected in the additional routes');
      }
    }
  });
});

describe('generatedHost', () => {
  it('follows the router: <name>-<namespace>.<domain>', () => {
    expect(generatedHost('default-route', 'openshift-image-registry', 'apps.example.com')).toBe(
      'default-route-openshift-image-registry.apps.example.com',
    );
    expect(generatedHost('r', 'ns', '.apps.example.com.')).toBe('r-ns.apps.example.com');
  });
});

describe('renderAll', () => {
  it('stops at the first problem so nothing is applied half-way', () => {
    const reqs = [
      { name: 'a', hostname: '', secretName: '', isDefault: false },
      { name: 'b', hostname: '', secretName: '', isDefault: false },
    ];
    const r = renderAll(reqs, (q) =>
      q.name === 'b' ? { ok: false, problem: { reason: 'X', message: 'b is bad' } } : { ok: true, value: q.name },
    );
    expect(r).toEqual({ ok: false, problem: { reason: 'X', message: 'b is bad' } });
  });
});

describe('TLS from the route secret', () => {
  it('copies tls.crt, tls.key and tls.cacrt into the Route, each only when present', () => {
    expect(routeTlsFromSecret({ data: { 'tls.crt': b64('CERT'), 'tls.key': b64('KEY') } }, ref)).toEqual({
      ok: true,
      value: { certificate: 'CERT', key: 'KEY' },
    });
    expect(routeTlsFromSecret({ data: { 'tls.cacrt': b64('CA') } }, ref)).toEqual({ ok: true, value: { caCertificate: 'CA' } });
  });

  it('names the missing secret', () => {
    const r = routeTlsFromSecret(undefined, ref);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toEqual({ reason: 'SecretNotFound', message: expect.stringContaining('secret ns/my-tls') });
  });

  it('names the missing key for an Ingress secret', () => {
    expect(checkIngressSecret({ data: { 'tls.crt': b64('C') } }, ref)).toEqual({
      reason: 'SecretInvalid',
      message: expect.stringMatching(/secret ns\/my-tls has no tls\.key/),
    });
    expect(checkIngressSecret({ data: { 'tls.key': b64('K') } }, ref)?.message).toContain('has no tls.crt');
    expect(checkIngressSecret(undefined, ref)?.reason).toBe('SecretNotFound');
    expect(checkIngressSecret({ data: { 'tls.crt': b64('C'), 'tls.key': b64('K') } }, ref)).toBeUndefined();
  });
});

describe('renderRoute', () => {
  it('renders upstream’s reencrypt route to the registry Service with the ownership annotation', () => {
    const route = renderRoute({
      name: 'default-route',
      namespace: 'ns',
      host: '',
      serviceName: 'image-registry',
      tls: {},
      annotation: 'imageregistry.openshift.io',
    });
    expect(route).toEqual({
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: { name: 'default-route', namespace: 'ns', annotations: { 'imageregistry.openshift.io': 'true' } },
      spec: { to: { kind: 'Service', name: 'image-registry', weight: 100 }, tls: { termination: 'reencrypt' }, wildcardPolicy: 'None' },
    });
  });

  it('reads admitted hosts and upstream’s not-admitted text from status', () => {
    const route = {
      metadata: { name: 'r1' },
      status: {
        ingress: [
          { host: 'a.example.com', routerName: 'default', conditions: [{ type: 'Admitted', status: 'True' as const }] },
          { host: 'a.example.com', routerName: 'sharded', conditions: [{ type: 'Admitted', status: 'False' as const, message: 'host taken' }] },
          { host: '' },
        ],
      },
    };
    expect(routeHosts(route)).toEqual(['a.example.com', 'a.example.com']);
    expect(routeAdmissionProblems(route)).toEqual(['route r1 (host a.example.com, router sharded) not admitted: host taken']);
  });
});

describe('renderIngress', () => {
  const input = {
    name: 'r1',
    namespace: 'ns',
    host: 'r1.example.com',
    serviceName: 'image-registry',
    servicePort: 5000,
    ingressClassName: 'traefik',
    annotations: { 'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS', 'imageregistry.openshift.io': 'false' },
    secretName: 'my-tls',
    annotation: 'imageregistry.openshift.io',
  };

  it('routes every path of the host to the registry Service over the route secret', () => {
    const ing = renderIngress(input);
    expect(ing.metadata?.annotations).toEqual({
      'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS',
      'imageregistry.openshift.io': 'true',
    });
    expect(ing.spec).toEqual({
      ingressClassName: 'traefik',
      tls: [{ hosts: ['r1.example.com'], secretName: 'my-tls' }],
      rules: [
        {
          host: 'r1.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'image-registry', port: { number: 5000 } } } }] },
        },
      ],
    });
  });

  it('leaves class and secret out when not given', () => {
    const ing = renderIngress({ ...input, ingressClassName: '', secretName: '' });
    expect(ing.spec?.ingressClassName).toBeUndefined();
    expect(ing.spec?.tls).toEqual([{ hosts: ['r1.example.com'] }]);
  });

  it('publishes hosts only once the controller reports an address', () => {
    const ing = renderIngress(input);
    expect(ingressHosts(ing)).toEqual([]);
    expect(ingressHosts({ ...ing, status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } })).toEqual(['r1.example.com']);
  });
});

describe('hostnames', () => {
  it('lists the default route first, then the rest sorted without duplicates', () => {
    expect(
      externalRegistryHostnames(
        [
          { name: 'z', hosts: ['b.example.com', 'a.example.com'] },
          { name: 'default-route', hosts: ['default-route-ns.apps.example.com'] },
          { name: 'y', hosts: ['a.example.com', 'default-route-ns.apps.example.com'] },
        ],
        'default-route',
      ),
    ).toEqual(['default-route-ns.apps.example.com', 'a.example.com', 'b.example.com']);
    expect(externalRegistryHostnames([], 'default-route')).toEqual([]);
  });

  it('derives the internal hostname from the Service, without :443', () => {
    const svc = (port: number) => ({ metadata: { name: 'image-registry', namespace: 'ns' }, spec: { ports: [{ port }] } });
    expect(internalRegistryHostname(svc(5000))).toBe('image-registry.ns.svc:5000');
    expect(internalRegistryHostname(svc(443))).toBe('image-registry.ns.svc');
    expect(internalRegistryHostname(undefined)).toBe('');
  });
});
