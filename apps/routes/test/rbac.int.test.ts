import {
  applyYaml,
  createTestNamespace,
  kubeRequest,
  serviceAccountKubeConfig,
  shippedAppRbac,
  testKubeConfig,
  type Manifest,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  adminManager,
  admitRoute,
  applyConfig,
  configCondition,
  createRegistryService,
  createTlsSecret,
  deleteSingletons,
  imageStatus,
  ingressesPath,
  listNames,
  reportIngressAddress,
  routesPath,
  startRoutesApp,
  type RunningApp,
} from './support.ts';

const poll = { timeout: 60_000, interval: 200 };
const domain = 'apps.example.test';

let kc: KubeConfig;
let ns: string;
let app: RunningApp | undefined;
let clusterScoped: Manifest[] = [];

beforeAll(() => {
  kc = testKubeConfig();
});

beforeEach(async () => {
  await deleteSingletons(kc);
  ns = await createTestNamespace(kc, 'routes-rbac');
  const manifests = shippedAppRbac('routes', ns);
  clusterScoped = manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding');
  await applyYaml(kc, manifests, { fieldManager: adminManager });
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
  await deleteSingletons(kc);
  for (const m of clusterScoped) {
    const plural = m.kind === 'ClusterRole' ? 'clusterroles' : 'clusterrolebindings';
    await kubeRequest(kc, 'DELETE', `/apis/rbac.authorization.k8s.io/v1/${plural}/${encodeURIComponent(m.metadata.name)}`).catch(
      () => undefined,
    );
  }
});

describe('the shipped RBAC', () => {
  for (const [backend, plural] of [['Route', 'Routes'], ['Ingress', 'Ingresses']] as const) {
    it(`is enough to run the app with ${plural}: image config, routes, TLS secret, conditions, Removed`, async () => {
      const sa = await serviceAccountKubeConfig(kc, ns, 'image-registry-routes');
      await applyYaml(
        kc,
        { apiVersion: 'config.openshift.io/v1', kind: 'Ingress', metadata: { name: 'cluster' }, spec: { domain } },
        { fieldManager: adminManager },
      );
      app = await startRoutesApp(sa, { namespace: ns, backend, domain });
      await createRegistryService(kc, ns);
      await createTlsSecret(kc, ns, 'custom-tls', { 'tls.crt': 'C', 'tls.key': 'K' });
      await applyConfig(kc, { defaultRoute: true, routes: [{ name: 'custom', hostname: 'custom.example.com', secretName: 'custom-tls' }] });

      const path = backend === 'Route' ? routesPath(ns) : ingressesPath(ns);
      await expect.poll(() => listNames(kc, path), poll).toEqual(['custom', 'default-route']);
      for (const [name, host] of [['default-route', `default-route-${ns}.${domain}`], ['custom', 'custom.example.com']] as const) {
        if (backend === 'Route') await admitRoute(kc, ns, name, host);
        else await reportIngressAddress(kc, ns, name);
      }
      await expect.poll(() => imageStatus(kc), poll).toEqual({
        internalRegistryHostname: `image-registry.${ns}.svc:5000`,
        externalRegistryHostnames: [`default-route-${ns}.${domain}`, 'custom.example.com'],
      });
      await expect.poll(() => configCondition(kc, 'RoutesControllerDegraded'), poll).toMatchObject({ status: 'False' });
      await expect.poll(() => configCondition(kc, 'ImageConfigControllerDegraded'), poll).toMatchObject({ status: 'False' });

      await applyConfig(kc, { managementState: 'Removed' });
      await expect.poll(() => listNames(kc, path), poll).toEqual([]);
      const errors = await app.registry.getSingleMetricAsString('controller_runtime_reconcile_errors_total');
      expect(errors).not.toMatch(/controller="(routes|image-config)"\} [1-9]/);
    });
  }
});
