import { describe, expect, it } from 'vitest';
import { renderDeployment, type DeploymentInput } from './deployment.ts';
import { renderStorage } from './storage-env.ts';

function input(flavour: 'distribution' | 'openshift', spec: DeploymentInput['config']['spec'] = {}): DeploymentInput {
  return {
    config: { metadata: { name: 'cluster', uid: 'uid-1' }, spec: { replicas: 1, httpSecret: 'h', ...spec } },
    namespace: 'openshift-image-registry',
    flavour,
    image: 'registry.example/registry:3',
    authImage: 'registry.example/registry-auth:1',
    storage: renderStorage({ storage: { emptyDir: {} }, flavour, privateKeys: new Set() }),
    nodesHaveZones: false,
    dependencies: { configMap: () => undefined, secret: () => undefined },
  };
}

function podOf(input: DeploymentInput) {
  const pod = renderDeployment(input).spec?.template.spec;
  if (!pod) throw new Error('no pod spec');
  return pod;
}

const envOf = (c: { env?: { name: string; value?: string }[] } | undefined) => Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value]));

describe('registry-auth in the registry pod', () => {
  it('fronts the distribution registry: TLS on 5000 with the serving certificate, the registry on loopback without TLS', () => {
    const pod = podOf(input('distribution'));
    expect(pod.containers.map((c) => c.name)).toEqual(['registry', 'registry-auth']);
    const [registry, proxy] = pod.containers;
    const renv = envOf(registry);
    expect(renv['REGISTRY_HTTP_ADDR']).toBe('127.0.0.1:5001');
    expect(renv['REGISTRY_HTTP_DRAINTIMEOUT']).toBe('25s');
    expect(Object.keys(renv).filter((k) => k.startsWith('REGISTRY_HTTP_TLS_'))).toEqual([]);
    expect(registry?.ports).toBeUndefined();
    expect(proxy?.image).toBe('registry.example/registry-auth:1');
    expect(proxy?.ports).toEqual([
      { containerPort: 5000, protocol: 'TCP' },
      { name: 'auth-metrics', containerPort: 8080, protocol: 'TCP' },
    ]);
    expect(envOf(proxy)).toMatchObject({
      IRO_LISTEN_ADDRESS: ':5000',
      IRO_UPSTREAM: 'http://127.0.0.1:5001',
      IRO_TLS_CERT_FILE: '/etc/secrets/tls.crt',
      IRO_TLS_KEY_FILE: '/etc/secrets/tls.key',
    });
    expect(proxy?.volumeMounts?.find((m) => m.mountPath === '/etc/secrets')).toMatchObject({ name: 'registry-tls', readOnly: true });
    expect(proxy?.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    // Serves on for 25 s after SIGTERM (unready), then drains: no preStop binary needed in the image.
    expect(proxy?.lifecycle).toBeUndefined();
    expect(envOf(proxy)['IRO_SHUTDOWN_DELAY']).toBe('25s');
  });

  it('keeps the probes clients and the kubelet know: HTTPS / on port 5000, now answered through the proxy', () => {
    const [registry] = podOf(input('distribution')).containers;
    expect(registry?.readinessProbe?.httpGet).toEqual({ path: '/', port: 5000, scheme: 'HTTPS' });
    expect(registry?.livenessProbe?.httpGet).toEqual({ path: '/', port: 5000, scheme: 'HTTPS' });
  });

  it('gives the API token to the proxy only: the pod does not automount it and the registry mounts none', () => {
    const pod = podOf(input('distribution'));
    expect(pod.automountServiceAccountToken).toBe(false);
    const [registry, proxy] = pod.containers;
    const tokenPath = '/var/run/secrets/kubernetes.io/serviceaccount';
    expect(proxy?.volumeMounts?.find((m) => m.mountPath === tokenPath)).toEqual({ name: 'registry-auth-token', mountPath: tokenPath, readOnly: true });
    expect(registry?.volumeMounts?.some((m) => m.name === 'registry-auth-token')).toBe(false);
    const volume = pod.volumes?.find((v) => v.name === 'registry-auth-token');
    expect(volume?.projected?.sources?.map((s) => Object.keys(s)[0])).toEqual(['serviceAccountToken', 'configMap', 'downwardAPI']);
  });

  it('hands the observed TLS profile to the proxy', () => {
    const observedConfig = { servingInfo: { minTLSVersion: 'VersionTLS13', cipherSuites: ['TLS_AES_128_GCM_SHA256'] } };
    const [, proxy] = podOf(input('distribution', { observedConfig })).containers;
    expect(envOf(proxy)).toMatchObject({ IRO_TLS_MIN_VERSION: 'VersionTLS13', IRO_TLS_CIPHER_SUITES: 'TLS_AES_128_GCM_SHA256' });
  });

  it('leaves the openshift flavour alone: its registry authenticates by itself', () => {
    const pod = podOf(input('openshift'));
    expect(pod.containers.map((c) => c.name)).toEqual(['registry']);
    expect(envOf(pod.containers[0])['REGISTRY_HTTP_ADDR']).toBe(':5000');
  });
});
