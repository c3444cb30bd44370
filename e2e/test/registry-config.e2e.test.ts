// configuration_test.go (TestPodAffinityConfiguration, TestOperandProxyConfiguration) and
// observedconfig_test.go (TestObservedConfigTLSSecurityProfile), in the distribution flavour the system runs.
// TestRequests is not here: request limits are OpenShift's registry's, which this flavour leaves out.
import { afterEach, describe, expect, it } from 'vitest';
import {
  ensureAvailable,
  ensureClusterOperatorNormal,
  freshConfig,
  getConfig,
  teardown,
  timeout,
} from '../src/helpers.ts';
import { patchConfig, registryDeployment, registryEnv, setClusterProxy } from '../src/objects.ts';

const proxyNames = ['NO_PROXY', 'HTTP_PROXY', 'HTTPS_PROXY'];
const proxyEnv = async () =>
  Object.fromEntries(Object.entries(await registryEnv()).filter(([k]) => proxyNames.includes(k)));

describe('registry configuration', () => {
  afterEach(teardown);

  it('TestPodAffinityConfiguration', async () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'myExampleKey', operator: 'In', values: ['value1', 'value2'] }] },
          ],
        },
      },
    };
    // No node matches, so the registry never becomes available; upstream only waits for the Deployment.
    await freshConfig({ affinity });
    await expect
      .poll(async () => (await registryDeployment())?.spec.template.spec.affinity, { timeout })
      .toEqual(affinity);
  });

  it('TestOperandProxyConfiguration', async () => {
    const resource = {
      noProxy: 'resourcenoproxy.example.com',
      http: 'http://resourcehttpproxy.example.com',
      https: 'https://resourcehttpsproxy.example.com',
    };
    const cluster = {
      noProxy: 'clusternoproxy.example.com',
      httpProxy: 'http://clusterhttpproxy.example.com',
      httpsProxy: 'https://clusterhttpsproxy.example.com',
    };
    await freshConfig({});
    await ensureAvailable();
    try {
      expect(await proxyEnv()).toEqual({});

      await setClusterProxy(cluster);
      await expect.poll(proxyEnv, { timeout }).toEqual({
        NO_PROXY: expect.stringContaining(cluster.noProxy),
        HTTP_PROXY: expect.stringContaining(cluster.httpProxy),
        HTTPS_PROXY: expect.stringContaining(cluster.httpsProxy),
      });
      await ensureAvailable();

      // Upstream's SetResourceProxyConfig: the Config's own proxy overrides the cluster's.
      await patchConfig(JSON.stringify({ spec: { proxy: resource } }));
      await expect.poll(proxyEnv, { timeout }).toEqual({
        NO_PROXY: expect.stringContaining(resource.noProxy),
        HTTP_PROXY: expect.stringContaining(resource.http),
        HTTPS_PROXY: expect.stringContaining(resource.https),
      });
      await ensureAvailable();
    } finally {
      // Upstream's ResetClusterProxyConfig.
      await setClusterProxy({ httpProxy: '', httpsProxy: '', noProxy: '' });
    }
  });

  it('TestObservedConfigTLSSecurityProfile', async () => {
    await freshConfig({});
    await ensureAvailable();
    await ensureClusterOperatorNormal();
    const observed = (await getConfig())?.spec?.['observedConfig'] as
      { servingInfo?: { minTLSVersion?: string; cipherSuites?: string[] } } | undefined;
    const minTLSVersion = observed?.servingInfo?.minTLSVersion ?? '';
    expect(minTLSVersion).not.toBe('');
    expect(observed?.servingInfo?.cipherSuites ?? []).not.toEqual([]);
    // Upstream's registry terminates TLS itself (REGISTRY_HTTP_TLS_MINVERSION, OPENSHIFT_REGISTRY_HTTP_TLS_CIPHERSUITES);
    // in the distribution flavour registry-auth does, and the registry listens on loopback without TLS.
    const front = await registryEnv('registry-auth');
    expect(front['IRO_TLS_MIN_VERSION']).toBe(minTLSVersion);
    expect(front['IRO_TLS_CIPHER_SUITES'] ?? '').not.toBe('');
    expect(Object.keys(await registryEnv()).filter((k) => k.startsWith('REGISTRY_HTTP_TLS_'))).toEqual([]);
  });
});
