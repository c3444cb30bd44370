// configuration_test.go (TestRouteConfiguration, TestSecureRouteConfiguration) and imageconfig_test.go
// (TestImageConfigWhenRemoved). Routes are served by our CRD; the test admits them as OpenShift's router would.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServingCertificate, kubeRequest } from '@image-registry/testing';
import {
  condition,
  ensureAvailable,
  ensureClusterOperatorNormal,
  ensureInternalRegistryHostnameIsSet,
  freshConfig,
  getConfig,
  kc,
  kubectl,
  namespace,
  teardown,
  timeout,
} from '../src/helpers.ts';
import { admitRoutes, ensureIngressConfig, imageConfig, routes } from '../src/objects.ts';

const hostname = 'test.example.com';
const defaultHostPrefix = `default-route-${namespace}`;

/** Upstream's EnsureExternalRegistryHostnamesAreSet (plus the default host when `withDefault`), routes admitted. */
async function ensureExternalRegistryHostnames(wanted: string[], withDefault: boolean): Promise<void> {
  await expect
    .poll(
      async () => {
        await admitRoutes();
        const hosts = (await imageConfig())?.status?.externalRegistryHostnames ?? [];
        return {
          default: hosts.some((h) => h.startsWith(defaultHostPrefix)),
          wanted: wanted.filter((h) => hosts.includes(h)),
        };
      },
      { timeout },
    )
    .toEqual({ default: withDefault, wanted });
}

describe('routes', () => {
  beforeAll(ensureIngressConfig);
  afterEach(teardown);

  it('TestRouteConfiguration', async () => {
    await freshConfig({ defaultRoute: true, routes: [{ name: 'testroute', hostname }] });
    await ensureAvailable();
    await ensureExternalRegistryHostnames([hostname], true);
    // EnsureDefaultExternalRouteExists and EnsureExternalRoutesExist: the default route and one per host.
    const all = await routes();
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all.some((r) => r.spec.host?.startsWith(defaultHostPrefix))).toBe(true);
    expect(all.map((r) => r.spec.host)).toContain(hostname);
  });

  it('TestSecureRouteConfiguration', async () => {
    const { cert, key } = await createServingCertificate({ dnsNames: [hostname], ipAddresses: [] });
    const secret = `/api/v1/namespaces/${namespace}/secrets/testroute-tls`;
    await kubeRequest(kc, 'DELETE', secret).catch(() => undefined);
    await kubeRequest(kc, 'POST', `/api/v1/namespaces/${namespace}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'testroute-tls' },
      type: 'kubernetes.io/tls',
      stringData: { 'tls.crt': cert, 'tls.key': key },
    });
    try {
      await freshConfig({ routes: [{ name: 'testroute', hostname, secretName: 'testroute-tls' }] });
      await ensureAvailable();
      await ensureClusterOperatorNormal();
      await ensureExternalRegistryHostnames([hostname], false);
      const route = (await routes()).find((r) => r.metadata.name === 'testroute');
      expect(route?.spec.tls).toMatchObject({ certificate: cert, key });
    } finally {
      await kubeRequest(kc, 'DELETE', secret).catch(() => undefined);
    }
  });

  it('TestImageConfigWhenRemoved', async () => {
    await freshConfig({ defaultRoute: true, routes: [{ name: 'testroute', hostname }] });
    await ensureAvailable();
    await ensureExternalRegistryHostnames([hostname], true);
    await ensureInternalRegistryHostnameIsSet();
    await kubectl(
      'patch',
      'configs.imageregistry.operator.openshift.io',
      'cluster',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/managementState","value":"Removed"}]',
    );
    await expect
      .poll(
        async () => {
          const c = await getConfig();
          return ['Available', 'Progressing', 'Degraded', 'Removed'].map(
            (t) =>
              `${t}=${condition(c, t)?.status}/${t === 'Available' || t === 'Progressing' ? condition(c, t)?.reason : ''}`,
          );
        },
        { timeout },
      )
      .toEqual(['Available=True/Removed', 'Progressing=False/Removed', 'Degraded=False/', 'Removed=True/']);
    await expect
      .poll(
        async () => {
          const s = (await imageConfig())?.status;
          return {
            internal: s?.internalRegistryHostname ?? '',
            external: s?.externalRegistryHostnames ?? [],
          };
        },
        { timeout },
      )
      .toEqual({ internal: '', external: [] });
  });
});
