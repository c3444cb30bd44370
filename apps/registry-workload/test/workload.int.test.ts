import { testKubeConfig } from '@image-registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  condition,
  conditionSummary,
  envOf,
  fakeStorage,
  get,
  getConfig,
  getDeployment,
  useWorkloadFixture,
  waitAvailable,
  createConfig,
} from './support.ts';
import { settled, sentinelRound } from './quiet.ts';

const f = useWorkloadFixture({ beforeEach, afterEach }, testKubeConfig());

describe('registry-workload on a managed emptyDir registry', () => {
  it('renders every object and reports the registry ready', async () => {
    await f.managed();
    await expect.poll(() => conditionSummary(f.kc), { timeout: 60_000 }).toEqual({
      Available: 'True/Ready',
      Progressing: 'False/Ready',
      Degraded: 'False/',
      Removed: 'False/',
    });
    const config = await getConfig(f.kc);
    expect(config?.status?.readyReplicas).toBe(1);
    expect(config?.status?.observedGeneration).toBe(config?.metadata.generation);
    expect(condition(config, 'Available')?.message).toBe('The registry is ready');

    const d = await getDeployment(f.kc, f.ns);
    const env = envOf(d);
    expect(env['REGISTRY_STORAGE']).toBe('filesystem');
    expect(env['REGISTRY_HTTP_SECRET']).toBe(config?.spec.httpSecret);
    // Distribution flavour: registry-auth terminates TLS on 5000; the registry listens on loopback only.
    expect(env['REGISTRY_HTTP_ADDR']).toBe('127.0.0.1:5001');
    expect(env['REGISTRY_HTTP_TLS_CERTIFICATE']).toBeUndefined();
    const proxy = d?.spec.template.spec.containers.find((c) => c.name === 'registry-auth');
    const proxyEnv = Object.fromEntries((proxy?.env ?? []).map((e) => [e.name, e.value]));
    expect(proxyEnv['IRO_TLS_CERT_FILE']).toBe('/etc/secrets/tls.crt');
    expect(proxyEnv['IRO_LISTEN_ADDRESS']).toBe(':5000');

    const svc = await get<{ spec: { ports: { port: number }[] } }>(f.kc, `/api/v1/namespaces/${f.ns}/services/image-registry`);
    expect(svc?.spec.ports.map((p) => p.port)).toEqual([5000]);
    for (const path of [
      `/api/v1/namespaces/${f.ns}/serviceaccounts/registry`,
      `/api/v1/namespaces/${f.ns}/secrets/image-registry-tls`,
      `/api/v1/namespaces/${f.ns}/configmaps/serviceca`,
      `/apis/policy/v1/namespaces/${f.ns}/poddisruptionbudgets/image-registry`,
      `/apis/networking.k8s.io/v1/namespaces/${f.ns}/networkpolicies/image-registry-networkpolicy`,
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:registry',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/registry-registry-role',
    ]) {
      expect(await get(f.kc, path), path).toBeDefined();
    }
  });

  it('creates no Deployment until StorageExists is True, and says it is waiting for storage', async () => {
    await createConfig(f.kc, { managementState: 'Managed', replicas: 1, storage: { s3: {} } });
    await fakeStorage(f.kc, {}, { status: 'False', reason: 'NoSuchBucket', message: 'The specified bucket does not exist' });
    const app = await f.start();
    await expect.poll(async () => condition(await getConfig(f.kc), 'Progressing'), { timeout: 30_000 }).toMatchObject({
      status: 'True',
      reason: 'WaitingForStorage',
      message: 'The specified bucket does not exist',
    });
    expect(await getDeployment(f.kc, f.ns)).toBeUndefined();
    // The Service exists early: other apps (routes, node-ca) can work from it meanwhile.
    expect(await get(f.kc, `/api/v1/namespaces/${f.ns}/services/image-registry`)).toBeDefined();

    await fakeStorage(f.kc, { s3: { bucket: 'b', region: 'us-east-1' }, managementState: 'Managed' });
    await waitAvailable(f.kc);
    expect(envOf(await getDeployment(f.kc, f.ns))['REGISTRY_STORAGE_S3_BUCKET']).toBe('b');
    void app;
  });

  it('sends no writes at steady state, however often it reconciles', async () => {
    const app = await f.managed();
    await waitAvailable(f.kc);
    await settled(f.kc, app);
    const deployBefore = (await getDeployment(f.kc, f.ns))?.metadata.resourceVersion;
    // Each round makes the app reconcile once more after seeing a change (a label), without a fixed sleep.
    for (let i = 0; i < 5; i++) expect(await sentinelRound(f.kc, app)).toBe(0);
    expect((await getDeployment(f.kc, f.ns))?.metadata.resourceVersion).toBe(deployBefore);
    expect((await getConfig(f.kc))?.status?.readyReplicas).toBe(1);
  });
});

describe('registry-workload where OpenShift service-ca issues the certificate', () => {
  it('annotates the Service and serviceca for service-ca and issues no certificate itself', async () => {
    await f.managed({}, { servingCert: 'service-ca' });
    await expect
      .poll(async () => (await get<{ metadata: { annotations?: Record<string, string> } }>(f.kc, `/api/v1/namespaces/${f.ns}/services/image-registry`))?.metadata.annotations, {
        timeout: 30_000,
      })
      .toEqual({ 'service.alpha.openshift.io/serving-cert-secret-name': 'image-registry-tls' });
    const cm = await get<{ metadata: { annotations?: Record<string, string> }; data?: Record<string, string> }>(
      f.kc,
      `/api/v1/namespaces/${f.ns}/configmaps/serviceca`,
    );
    expect(cm?.metadata.annotations).toEqual({ 'service.beta.openshift.io/inject-cabundle': 'true' });
    expect(cm?.data).toBeUndefined();
    expect(await get(f.kc, `/api/v1/namespaces/${f.ns}/secrets/image-registry-tls`)).toBeUndefined();
  });
});
