import { describe, expect, it } from 'vitest';
import { registryEnv } from './env.ts';
import { InvalidConfigError } from './errors.ts';

const storageEnv = [
  { name: 'REGISTRY_STORAGE', value: 'filesystem' },
  { name: 'REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY', value: '/registry' },
];

function names(env: { name: string }[]): string[] {
  return env.map((e) => e.name);
}

function valueOf(env: { name: string; value?: string }[], name: string): string | undefined {
  return env.find((e) => e.name === name)?.value;
}

describe('registryEnv', () => {
  it('renders every variable of the openshift flavour in upstream order', () => {
    const env = registryEnv({
      flavour: 'openshift',
      namespace: 'openshift-image-registry',
      storageEnv,
      spec: {
        httpSecret: 'secret',
        logLevel: 'Normal',
        readOnly: true,
        disableRedirect: true,
        proxy: { http: 'http://p:3128' },
        requests: { read: { maxRunning: 1, maxInQueue: 2, maxWaitInQueue: '3s' }, write: { maxRunning: 4, maxInQueue: 5, maxWaitInQueue: '6h' } },
        observedConfig: { servingInfo: { minTLSVersion: 'VersionTLS12', cipherSuites: ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384'] } },
      },
      clusterProxy: { httpsProxy: 'http://cluster:3128', noProxy: '.svc' },
    });
    expect(env.map((e) => `${e.name}=${e.value}`)).toEqual([
      'REGISTRY_STORAGE=filesystem',
      'REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY=/registry',
      'REGISTRY_HTTP_ADDR=:5000',
      'REGISTRY_HTTP_NET=tcp',
      'REGISTRY_HTTP_SECRET=secret',
      'REGISTRY_LOG_LEVEL=info',
      'REGISTRY_OPENSHIFT_QUOTA_ENABLED=true',
      'REGISTRY_STORAGE_CACHE_BLOBDESCRIPTOR=inmemory',
      'REGISTRY_STORAGE_DELETE_ENABLED=true',
      'REGISTRY_HEALTH_STORAGEDRIVER_ENABLED=true',
      'REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL=10s',
      'REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD=1',
      'REGISTRY_OPENSHIFT_METRICS_ENABLED=true',
      'REGISTRY_OPENSHIFT_SERVER_ADDR=image-registry.openshift-image-registry.svc:5000',
      'REGISTRY_STORAGE_MAINTENANCE_READONLY={enabled: true}',
      'REGISTRY_STORAGE_REDIRECT_DISABLE=true',
      'HTTP_PROXY=http://p:3128',
      'HTTPS_PROXY=http://cluster:3128',
      'NO_PROXY=.svc',
      'REGISTRY_OPENSHIFT_REQUESTS_READ_MAXRUNNING=1',
      'REGISTRY_OPENSHIFT_REQUESTS_READ_MAXINQUEUE=2',
      'REGISTRY_OPENSHIFT_REQUESTS_READ_MAXWAITINQUEUE=3s',
      'REGISTRY_OPENSHIFT_REQUESTS_WRITE_MAXRUNNING=4',
      'REGISTRY_OPENSHIFT_REQUESTS_WRITE_MAXINQUEUE=5',
      'REGISTRY_OPENSHIFT_REQUESTS_WRITE_MAXWAITINQUEUE=6h0m0s',
      'REGISTRY_HTTP_TLS_CERTIFICATE=/etc/secrets/tls.crt',
      'REGISTRY_HTTP_TLS_KEY=/etc/secrets/tls.key',
      'REGISTRY_HTTP_TLS_MINVERSION=VersionTLS12',
      'OPENSHIFT_REGISTRY_HTTP_TLS_CIPHERSUITES=TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384',
    ]);
  });

  it('gives CNCF distribution only variables it understands', () => {
    const env = registryEnv({
      flavour: 'distribution',
      namespace: 'ns',
      storageEnv,
      spec: {
        httpSecret: 's',
        requests: { read: { maxRunning: 1 } },
        observedConfig: { servingInfo: { minTLSVersion: 'VersionTLS12', cipherSuites: ['TLS_AES_128_GCM_SHA256'] } },
      },
    });
    expect(names(env).filter((n) => n.includes('OPENSHIFT'))).toEqual([]);
    expect(valueOf(env, 'REGISTRY_HTTP_TLS_MINIMUMTLS')).toBe('tls1.2');
    expect(valueOf(env, 'REGISTRY_HTTP_TLS_CIPHERSUITES')).toBe('[TLS_AES_128_GCM_SHA256]');
    expect(valueOf(env, 'SSL_CERT_DIR')).toBe('/etc/pki/ca-trust/source/anchors:/usr/share/pki/ca-trust-source/anchors:/etc/ssl/certs');
  });

  it('leaves cipher suites out for CNCF distribution at TLS 1.3, which ignores them', () => {
    const env = registryEnv({
      flavour: 'distribution',
      namespace: 'ns',
      storageEnv,
      spec: { observedConfig: { servingInfo: { minTLSVersion: 'VersionTLS13', cipherSuites: ['TLS_AES_128_GCM_SHA256'] } } },
    });
    expect(valueOf(env, 'REGISTRY_HTTP_TLS_MINIMUMTLS')).toBe('tls1.3');
    expect(names(env)).not.toContain('REGISTRY_HTTP_TLS_CIPHERSUITES');
  });

  it('sets no proxy variables by default and takes the cluster Proxy when spec.proxy is empty', () => {
    const base = { flavour: 'openshift' as const, namespace: 'ns', storageEnv, spec: {} };
    expect(names(registryEnv(base)).filter((n) => n.endsWith('PROXY'))).toEqual([]);
    const cluster = registryEnv({ ...base, clusterProxy: { httpProxy: 'http://c:1', httpsProxy: 'http://c:2', noProxy: 'n' } });
    expect(valueOf(cluster, 'HTTP_PROXY')).toBe('http://c:1');
    const own = registryEnv({
      ...base,
      spec: { proxy: { http: 'http://o:1', https: 'http://o:2', noProxy: 'o' } },
      clusterProxy: { httpProxy: 'http://c:1', httpsProxy: 'http://c:2', noProxy: 'n' },
    });
    expect([valueOf(own, 'HTTP_PROXY'), valueOf(own, 'HTTPS_PROXY'), valueOf(own, 'NO_PROXY')]).toEqual(['http://o:1', 'http://o:2', 'o']);
  });

  it('omits request limits when both counts are zero', () => {
    const env = registryEnv({ flavour: 'openshift', namespace: 'ns', storageEnv, spec: { requests: { read: { maxWaitInQueue: '3s' } } } });
    expect(names(env).filter((n) => n.includes('REQUESTS'))).toEqual([]);
  });

  it('rejects negative request limits naming the field', () => {
    const attempt = () =>
      registryEnv({ flavour: 'openshift', namespace: 'ns', storageEnv, spec: { requests: { write: { maxInQueue: -1 } } } });
    expect(attempt).toThrow(InvalidConfigError);
    expect(attempt).toThrow(/^spec\.requests\.write\.maxInQueue: Requests\.Write\.MaxInQueue must be positive number/);
  });

  it('rejects an unknown TLS version from observedConfig instead of crash-looping the registry', () => {
    expect(() =>
      registryEnv({ flavour: 'openshift', namespace: 'ns', storageEnv, spec: { observedConfig: { servingInfo: { minTLSVersion: 'TLS9' } } } }),
    ).toThrow(/invalid TLS version: TLS9/);
    expect(() => registryEnv({ flavour: 'openshift', namespace: 'ns', storageEnv, spec: { observedConfig: '{' } })).toThrow(
      /failed to unmarshal observedConfig/,
    );
  });
});
