import { kubeRequest, testKubeConfig } from '@image-registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envOf, getConfig, getDeployment, useWorkloadFixture, waitAvailable } from './support.ts';

const f = useWorkloadFixture({ beforeEach, afterEach }, testKubeConfig());
const apiServerPath = '/apis/config.openshift.io/v1/apiservers/cluster';

afterEach(async () => {
  await kubeRequest(f.kc, 'DELETE', apiServerPath).catch(() => undefined);
});

type Observed = { servingInfo?: { minTLSVersion?: string; cipherSuites?: string[] } };

describe('spec.observedConfig from the APIServer TLS security profile (upstream TestObservedConfigTLSSecurityProfile)', () => {
  it('observes Intermediate without an APIServer and hands it to the registry', async () => {
    await f.managed({}, { flavour: 'openshift', hasAPIServer: true });
    await waitAvailable(f.kc);
    const observed = (await getConfig(f.kc))?.spec.observedConfig as Observed | undefined;
    expect(observed?.servingInfo?.minTLSVersion).toBe('VersionTLS12');
    expect(observed?.servingInfo?.cipherSuites).toContain('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    const env = envOf(await getDeployment(f.kc, f.ns));
    expect(env['REGISTRY_HTTP_TLS_MINVERSION']).toBe('VersionTLS12');
    expect(env['OPENSHIFT_REGISTRY_HTTP_TLS_CIPHERSUITES']).toBe(observed?.servingInfo?.cipherSuites?.join(','));
  });

  it("follows the APIServer's profile when it changes", async () => {
    await f.managed({}, { flavour: 'openshift', hasAPIServer: true });
    await waitAvailable(f.kc);
    await kubeRequest(f.kc, 'POST', '/apis/config.openshift.io/v1/apiservers', {
      apiVersion: 'config.openshift.io/v1',
      kind: 'APIServer',
      metadata: { name: 'cluster' },
      spec: { tlsSecurityProfile: { type: 'Modern', modern: {} } },
    });
    await expect.poll(async () => envOf(await getDeployment(f.kc, f.ns))['REGISTRY_HTTP_TLS_MINVERSION'], { timeout: 30_000 }).toBe('VersionTLS13');
    const observed = (await getConfig(f.kc))?.spec.observedConfig as Observed | undefined;
    expect(observed?.servingInfo?.cipherSuites).toEqual(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']);
  });
});
