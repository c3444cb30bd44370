// The same upstream checks where there is no Route API: Ingresses, hosts from the domain flag,
// published once the ingress controller reports an address (written here as a controller would).
import { createTestNamespace, kubeRequest, testKubeConfig } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IngressObject } from '../src/render/ingress.ts';
import {
  applyConfig,
  configCondition,
  createRegistryService,
  createTlsSecret,
  deleteSingletons,
  getOrUndefined,
  imageStatus,
  ingressesPath,
  listNames,
  reportIngressAddress,
  startRoutesApp,
  type RunningApp,
} from './support.ts';

const domain = 'apps.example.test';
const poll = { timeout: 60_000, interval: 200 };
const annotations = {
  'traefik.ingress.kubernetes.io/router.tls': 'true',
  'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS',
};

let kc: KubeConfig;
let ns: string;
let app: RunningApp | undefined;

beforeAll(() => {
  kc = testKubeConfig();
});

beforeEach(async () => {
  await deleteSingletons(kc);
  ns = await createTestNamespace(kc, 'ingress');
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
  await deleteSingletons(kc);
});

const start = (extra: { domain?: string } = { domain }) =>
  startRoutesApp(kc, { namespace: ns, backend: 'Ingress', ingressClassName: 'traefik', annotations, ...extra }).then(
    (a) => (app = a),
  );
const ingress = (name: string) => getOrUndefined<IngressObject>(kc, ingressesPath(ns, name));

describe('routes as Ingresses', () => {
  it('renders the default and custom routes with the class and annotations from the flags (TestRouteConfiguration)', async () => {
    await start();
    await createRegistryService(kc, ns);
    await applyConfig(kc, { defaultRoute: true, routes: [{ name: 'testroute', hostname: 'test.example.com' }] });
    await expect.poll(() => listNames(kc, ingressesPath(ns)), poll).toEqual(['default-route', 'testroute']);

    const def = await ingress('default-route');
    expect(def?.metadata?.annotations).toEqual({ ...annotations, 'imageregistry.openshift.io': 'true' });
    expect(def?.spec).toEqual({
      ingressClassName: 'traefik',
      tls: [{ hosts: [`default-route-${ns}.${domain}`] }],
      rules: [
        {
          host: `default-route-${ns}.${domain}`,
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'image-registry', port: { number: 5000 } } } }],
          },
        },
      ],
    });
    // No controller has picked them up: nothing is reachable yet, nothing is published.
    await expect.poll(async () => (await imageStatus(kc))?.internalRegistryHostname, poll).toBe(`image-registry.${ns}.svc:5000`);
    expect((await imageStatus(kc))?.externalRegistryHostnames).toEqual([]);

    await reportIngressAddress(kc, ns, 'testroute');
    await reportIngressAddress(kc, ns, 'default-route');
    await expect
      .poll(async () => (await imageStatus(kc))?.externalRegistryHostnames, poll)
      .toEqual([`default-route-${ns}.${domain}`, 'test.example.com']);
  });

  it('serves a custom route with its own certificate secret (TestSecureRouteConfiguration)', async () => {
    await start();
    await createTlsSecret(kc, ns, 'testroute-tls', { 'tls.crt': 'CERT', 'tls.key': 'KEY' });
    await applyConfig(kc, { routes: [{ name: 'testroute', hostname: 'secure.example.com', secretName: 'testroute-tls' }] });
    await expect
      .poll(async () => (await ingress('testroute'))?.spec?.tls, poll)
      .toEqual([{ hosts: ['secure.example.com'], secretName: 'testroute-tls' }]);
    await reportIngressAddress(kc, ns, 'testroute');
    await expect.poll(async () => (await imageStatus(kc))?.externalRegistryHostnames, poll).toEqual(['secure.example.com']);
  });

  it('reports a secret without tls.key naming secret and key, and applies nothing half-way', async () => {
    await start();
    await createTlsSecret(kc, ns, 'half-tls', { 'tls.crt': 'CERT' });
    await applyConfig(kc, {
      defaultRoute: true,
      routes: [{ name: 'testroute', hostname: 'secure.example.com', secretName: 'half-tls' }],
    });
    await expect.poll(() => configCondition(kc, 'RoutesControllerDegraded'), poll).toEqual({
      type: 'RoutesControllerDegraded',
      status: 'True',
      reason: 'SecretInvalid',
      message: `route testroute: secret ${ns}/half-tls has no tls.key; add the PEM private key under tls.key`,
    });
    expect(await listNames(kc, ingressesPath(ns))).toEqual([]);

    await kubeRequest(
      kc,
      'PATCH',
      `/api/v1/namespaces/${ns}/secrets/half-tls`,
      { stringData: { 'tls.key': 'KEY' } },
      'application/merge-patch+json',
    );
    await expect.poll(() => listNames(kc, ingressesPath(ns)), poll).toEqual(['default-route', 'testroute']);
    await expect.poll(() => configCondition(kc, 'RoutesControllerDegraded'), poll).toMatchObject({ status: 'False' });
  });

  it('reports a default route without a domain, naming the flag', async () => {
    await start({});
    await applyConfig(kc, { defaultRoute: true });
    await expect.poll(() => configCondition(kc, 'RoutesControllerDegraded'), poll).toMatchObject({
      status: 'True',
      reason: 'HostUnknown',
      message: expect.stringContaining('--default-route-domain'),
    });
    expect(await listNames(kc, ingressesPath(ns))).toEqual([]);
  });

  it('removes its Ingresses and clears the hostnames when Removed (TestImageConfigWhenRemoved)', async () => {
    await start();
    await createRegistryService(kc, ns);
    await applyConfig(kc, { defaultRoute: true, routes: [{ name: 'testroute', hostname: 'test.example.com' }] });
    await expect.poll(() => listNames(kc, ingressesPath(ns)), poll).toEqual(['default-route', 'testroute']);
    await reportIngressAddress(kc, ns, 'default-route');
    await reportIngressAddress(kc, ns, 'testroute');
    await expect.poll(async () => (await imageStatus(kc))?.externalRegistryHostnames?.length, poll).toBe(2);

    await applyConfig(kc, { managementState: 'Removed', defaultRoute: true, routes: [{ name: 'testroute', hostname: 'test.example.com' }] });
    await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${ns}/services/image-registry`);
    await expect.poll(() => listNames(kc, ingressesPath(ns)), poll).toEqual([]);
    await expect.poll(() => imageStatus(kc), poll).toEqual({ internalRegistryHostname: '', externalRegistryHostnames: [] });
  });

  it('makes no write when nothing changes', async () => {
    await start();
    await createRegistryService(kc, ns);
    await applyConfig(kc, { defaultRoute: true });
    await expect.poll(() => ingress('default-route'), poll).toBeDefined();
    await reportIngressAddress(kc, ns, 'default-route');
    await expect.poll(async () => (await imageStatus(kc))?.externalRegistryHostnames, poll).toEqual([`default-route-${ns}.${domain}`]);
    const metric = async (name: string) => (await app?.registry.getSingleMetricAsString(name)) ?? '';
    const writes = async () =>
      (await metric('rest_client_requests_total'))
        .split('\n')
        .filter((l) => /verb="(create|update|patch|delete|apply)"/.test(l))
        .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    const reconciles = async (controller: string) =>
      Number(new RegExp(`controller="${controller}",result="success"\\} (\\d+)`).exec(await metric('controller_runtime_reconcile_total'))?.[1] ?? 0);
    // The hostnames are visible once the server stored them, a moment before the write that sent them is
    // counted: start counting when no reconcile is running.
    const active = async () =>
      (await metric('controller_runtime_active_workers'))
        .split('\n')
        .filter((l) => l.startsWith('controller_runtime_active_workers{'))
        .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    await expect.poll(active, poll).toBe(0);
    const before = { writes: await writes(), routes: await reconciles('routes'), image: await reconciles('image-config') };
    // Changes that concern nothing this app writes: a label on the Config, a Secret, an Ingress not its own.
    await kubeRequest(kc, 'PATCH', '/apis/imageregistry.operator.openshift.io/v1/configs/cluster', { metadata: { labels: { touched: 'yes' } } }, 'application/merge-patch+json');
    await createTlsSecret(kc, ns, 'unrelated', { a: 'b' });
    await kubeRequest(kc, 'POST', ingressesPath(ns), {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'sentinel' },
      spec: { rules: [{ host: 'sentinel.example.com' }] },
    });
    // Both controllers reconciled after the last of those events before we count.
    await expect.poll(async () => (await reconciles('routes')) > before.routes && (await reconciles('image-config')) > before.image, poll).toBe(true);
    await expect.poll(() => getOrUndefined(kc, ingressesPath(ns, 'sentinel')), poll).toBeDefined();
    const after = await writes();
    expect(after - before.writes).toBe(0);
    expect(await listNames(kc, ingressesPath(ns))).toEqual(['default-route', 'sentinel']);
  });
});
