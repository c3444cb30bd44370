// Upstream's route e2e checks (TestRouteConfiguration, TestSecureRouteConfiguration,
// TestImageConfigWhenRemoved, "hostname set") on the Route API, served here by our CRD; the test
// writes route status as OpenShift's router would.
import { applyYaml, createTestNamespace, kubeRequest, testKubeConfig } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RouteObject } from '../src/resources.ts';
import {
  adminManager,
  admitRoute,
  applyConfig,
  configCondition,
  createRegistryService,
  createTlsSecret,
  deleteSingletons,
  getOrUndefined,
  imageStatus,
  ingressConfigPath,
  listNames,
  routesPath,
  startRoutesApp,
  type RunningApp,
} from './support.ts';

const domain = 'apps.example.test';
const poll = { timeout: 60_000, interval: 200 };

let kc: KubeConfig;
let ns: string;
let app: RunningApp | undefined;

beforeAll(() => {
  kc = testKubeConfig();
});

beforeEach(async () => {
  await deleteSingletons(kc);
  ns = await createTestNamespace(kc, 'routes');
  await applyYaml(
    kc,
    { apiVersion: 'config.openshift.io/v1', kind: 'Ingress', metadata: { name: 'cluster' }, spec: { domain } },
    { fieldManager: adminManager },
  );
  app = await startRoutesApp(kc, { namespace: ns, backend: 'Route' });
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
  await deleteSingletons(kc);
});

const route = (name: string) => getOrUndefined<RouteObject>(kc, routesPath(ns, name));

describe('routes on the Route API', () => {
  it('creates images.config.openshift.io/cluster and sets the internal hostname while the Service exists ("hostname set")', async () => {
    await applyConfig(kc, {});
    await expect.poll(() => imageStatus(kc), poll).toEqual({ internalRegistryHostname: '', externalRegistryHostnames: [] });
    await createRegistryService(kc, ns);
    await expect
      .poll(async () => (await imageStatus(kc))?.internalRegistryHostname, poll)
      .toBe(`image-registry.${ns}.svc:5000`);
    await expect.poll(() => configCondition(kc, 'ImageConfigControllerDegraded'), poll).toEqual({
      type: 'ImageConfigControllerDegraded',
      status: 'False',
      reason: 'AsExpected',
      message: '',
    });
  });

  it('publishes the default route first and the custom route (TestRouteConfiguration)', async () => {
    await createRegistryService(kc, ns);
    await applyConfig(kc, { defaultRoute: true, routes: [{ name: 'testroute', hostname: 'test.example.com' }] });
    await expect.poll(() => listNames(kc, routesPath(ns)), poll).toEqual(['default-route', 'testroute']);

    const def = await route('default-route');
    expect(def?.metadata?.annotations?.['imageregistry.openshift.io']).toBe('true');
    expect(def?.spec).toMatchObject({
      host: `default-route-${ns}.${domain}`,
      to: { kind: 'Service', name: 'image-registry' },
      tls: { termination: 'reencrypt' },
    });
    expect((await route('testroute'))?.spec?.host).toBe('test.example.com');
    // Nobody has admitted them yet: no host is reachable, none is published.
    expect((await imageStatus(kc))?.externalRegistryHostnames ?? []).toEqual([]);

    await admitRoute(kc, ns, 'testroute', 'test.example.com');
    await admitRoute(kc, ns, 'default-route', `default-route-${ns}.${domain}`);
    await expect
      .poll(async () => (await imageStatus(kc))?.externalRegistryHostnames, poll)
      .toEqual([`default-route-${ns}.${domain}`, 'test.example.com']);
    await expect.poll(() => configCondition(kc, 'RoutesControllerDegraded'), poll).toMatchObject({ status: 'False', reason: 'AsExpected' });
  });

  it('copies the route secret into the Route (TestSecureRouteConfiguration)', async () => {
    await createTlsSecret(kc, ns, 'testroute-tls', { 'tls.crt': 'CERT-PEM', 'tls.key': 'KEY-PEM', 'tls.cacrt': 'CA-PEM' });
    await applyConfig(kc, { routes: [{ name: 'testroute', hostname: 'secure.example.com', secretName: 'testroute-tls' }] });
    await expect.poll(async () => (await route('testroute'))?.spec?.tls, poll).toEqual({
      termination: 'reencrypt',
      certificate: 'CERT-PEM',
      key: 'KEY-PEM',
      caCertificate: 'CA-PEM',
    });
    await admitRoute(kc, ns, 'testroute', 'secure.example.com');
    await expect
      .poll(async () => (await imageStatus(kc))?.externalRegistryHostnames, poll)
      .toEqual(['secure.example.com']);
  });

  it('reports a missing route secret naming it, and applies no route until it exists', async () => {
    await applyConfig(kc, {
      defaultRoute: true,
      routes: [{ name: 'testroute', hostname: 'secure.example.com', secretName: 'absent-tls' }],
    });
    await expect.poll(() => configCondition(kc, 'RoutesControllerDegraded'), poll).toMatchObject({
      status: 'True',
      reason: 'SecretNotFound',
      message: expect.stringContaining(`secret ${ns}/absent-tls`),
    });
    expect(await listNames(kc, routesPath(ns))).toEqual([]);
    await createTlsSecret(kc, ns, 'absent-tls', { 'tls.crt': 'C', 'tls.key': 'K' });
    await expect.poll(() => listNames(kc, routesPath(ns)), poll).toEqual(['default-route', 'testroute']);
    await expect.poll(() => configCondition(kc, 'RoutesControllerDegraded'), poll).toMatchObject({ status: 'False' });
  });

  it('reports a route the router did not admit, in upstream’s words', async () => {
    await applyConfig(kc, { routes: [{ name: 'taken', hostname: 'taken.example.com' }] });
    await expect.poll(() => route('taken'), poll).toBeDefined();
    await admitRoute(kc, ns, 'taken', 'taken.example.com', { status: 'False', message: 'host already claimed' });
    await expect.poll(() => configCondition(kc, 'RoutesControllerDegraded'), poll).toEqual({
      type: 'RoutesControllerDegraded',
      status: 'True',
      reason: 'RouteDegraded',
      message: 'route taken (host taken.example.com, router default) not admitted: host already claimed',
    });
  });

  it('deletes obsolete routes, keeps routes it does not own, and repairs drift', async () => {
    await kubeRequest(kc, 'POST', routesPath(ns), {
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: { name: 'someone-elses' },
      spec: { host: 'other.example.com', to: { kind: 'Service', name: 'other' } },
    });
    await applyConfig(kc, { routes: [{ name: 'one', hostname: 'one.example.com' }, { name: 'two', hostname: 'two.example.com' }] });
    await expect.poll(() => listNames(kc, routesPath(ns)), poll).toEqual(['one', 'someone-elses', 'two']);

    await applyConfig(kc, { routes: [{ name: 'one', hostname: 'one.example.com' }] });
    await expect.poll(() => listNames(kc, routesPath(ns)), poll).toEqual(['one', 'someone-elses']);

    // A hand edit of an owned field, and a field another manager added.
    await kubeRequest(
      kc,
      'PATCH',
      `${routesPath(ns, 'one')}?fieldManager=kubectl-edit`,
      { spec: { host: 'hijacked.example.com', path: '/other' } },
      'application/merge-patch+json',
    );
    await expect.poll(async () => (await route('one'))?.spec, poll).toMatchObject({ host: 'one.example.com' });
    await expect.poll(async () => (await route('one'))?.spec?.path, poll).toBeUndefined();
  });

  it('removes its routes and clears the hostnames when Removed (TestImageConfigWhenRemoved)', async () => {
    await createRegistryService(kc, ns);
    await applyConfig(kc, { defaultRoute: true, routes: [{ name: 'testroute', hostname: 'test.example.com' }] });
    await expect.poll(() => listNames(kc, routesPath(ns)), poll).toEqual(['default-route', 'testroute']);
    await admitRoute(kc, ns, 'default-route', `default-route-${ns}.${domain}`);
    await admitRoute(kc, ns, 'testroute', 'test.example.com');
    await expect.poll(async () => (await imageStatus(kc))?.externalRegistryHostnames?.length, poll).toBe(2);

    await applyConfig(kc, { managementState: 'Removed', defaultRoute: true, routes: [{ name: 'testroute', hostname: 'test.example.com' }] });
    // registry-workload deletes the Service when Removed.
    await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${ns}/services/image-registry`);
    await expect.poll(() => listNames(kc, routesPath(ns)), poll).toEqual([]);
    await expect.poll(() => imageStatus(kc), poll).toEqual({ internalRegistryHostname: '', externalRegistryHostnames: [] });
    expect(await configCondition(kc, 'RoutesControllerDegraded')).toMatchObject({ status: 'False', reason: 'AsExpected' });
  });

  it('leaves the default host to the router when the cluster has no apps domain', async () => {
    await kubeRequest(kc, 'DELETE', ingressConfigPath);
    await applyConfig(kc, { defaultRoute: true });
    await expect.poll(() => route('default-route'), poll).toBeDefined();
    expect((await route('default-route'))?.spec?.host).toBeUndefined();
  });
});
