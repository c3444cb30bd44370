import { describe, expect, it } from 'vitest';
import { routeNotAdmitted } from './observability.ts';

const route = (ingress: { routerName?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] }[]) => ({ apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name: 'default-route', namespace: 'ns' }, status: { ingress } });
const refused = { routerName: 'default', conditions: [{ type: 'Admitted', status: 'False', reason: 'HostAlreadyClaimed', message: 'a route in another namespace holds the host' }] };

describe('the RouteNotAdmitted Event', () => {
  it('is recorded when a router newly refuses the route, naming the router and its reason', () => {
    const e = routeNotAdmitted(route([]), route([refused]));
    expect(e).toMatchObject({ type: 'Warning', reason: 'RouteNotAdmitted', regarding: { kind: 'Route', name: 'default-route', namespace: 'ns' } });
    expect(e?.note).toContain('router default (HostAlreadyClaimed: a route in another namespace holds the host)');
  });

  it('is not recorded again while the refusal stands, nor for an admitted route', () => {
    expect(routeNotAdmitted(route([refused]), route([refused]))).toBeUndefined();
    expect(routeNotAdmitted(undefined, route([{ routerName: 'default', conditions: [{ type: 'Admitted', status: 'True' }] }]))).toBeUndefined();
  });
});
