import { kubeRequest } from '@image-registry/testing';
import { describe, expect, it } from 'vitest';
import {
  applyConfigMap,
  configMapData,
  configMapPath,
  createConfig,
  createRegistryService,
  nodeCAConditions,
  setImageConfig,
  startNodeCAApp,
  useNodeCATest,
} from './support.ts';

const serviceCA = '-----BEGIN CERTIFICATE-----\nSERVICE\n-----END CERTIFICATE-----\n';
const fooCA = '-----BEGIN CERTIFICATE-----\nFOO\n-----END CERTIFICATE-----\n';
const barCA = '-----BEGIN CERTIFICATE-----\nBAR\n-----END CERTIFICATE-----\n';
const storageCA = '-----BEGIN CERTIFICATE-----\nSTORAGE\n-----END CERTIFICATE-----\n';

const t = useNodeCATest();

/** The registry side as registry-workload leaves it: the Service and the serviceca ConfigMap. */
async function registryInputs(): Promise<void> {
  await createRegistryService(t.kc, t.ns.namespace);
  await applyConfigMap(t.kc, t.ns.namespace, 'serviceca', { 'service-ca.crt': serviceCA });
}

describe('ConfigMap image-registry-certificates', () => {
  it('holds the service CA under both hostnames, additionalTrustedCA verbatim and the storage CA', async () => {
    await registryInputs();
    await applyConfigMap(t.kc, t.ns.configNamespace, 'registry-cas', { 'foo.example.com': fooCA, 'bar.example.com..5000': barCA });
    await applyConfigMap(t.kc, t.ns.configNamespace, 'minio-ca', { 'ca-bundle.crt': storageCA });
    await setImageConfig(t.kc, { additionalTrustedCA: { name: 'registry-cas' } });
    await createConfig(t.kc, {
      managementState: 'Managed',
      storage: { s3: { bucket: 'b', region: 'us-east-1', regionEndpoint: 'https://minio.example', trustedCA: { name: 'minio-ca' } } },
    });
    t.app = await startNodeCAApp(t.kc, t.ns);

    const svc = `image-registry.${t.ns.namespace}.svc..5000`;
    const local = `image-registry.${t.ns.namespace}.svc.cluster.local..5000`;
    await expect
      .poll(() => configMapData(t.kc, t.ns.namespace, 'image-registry-certificates'), { timeout: 60_000 })
      .toEqual({
        'bar.example.com..5000': barCA,
        'foo.example.com': fooCA,
        [svc]: `${serviceCA}\n${storageCA}`,
        [local]: `${serviceCA}\n${storageCA}`,
        'storage-ca-bundle.pem': storageCA,
      });
    // The published copy: the registry's own hosts only.
    await expect
      .poll(() => configMapData(t.kc, t.ns.publishedNamespace, 'image-registry-ca'), { timeout: 60_000 })
      .toEqual({ [svc]: `${serviceCA}\n${storageCA}`, [local]: `${serviceCA}\n${storageCA}` });
    await expect
      .poll(async () => (await nodeCAConditions(t.kc))['ImageRegistryCertificatesControllerDegraded'], { timeout: 60_000 })
      .toEqual({ status: 'False', reason: 'AsExpected' });

    // With redirects disabled the service keys carry the service CA only; the bundle key stays.
    await createConfig(t.kc, {
      managementState: 'Managed',
      disableRedirect: true,
      storage: { s3: { bucket: 'b', region: 'us-east-1', regionEndpoint: 'https://minio.example', trustedCA: { name: 'minio-ca' } } },
    });
    await expect
      .poll(async () => (await configMapData(t.kc, t.ns.namespace, 'image-registry-certificates'))?.[svc], { timeout: 60_000 })
      .toBe(serviceCA);
  });

  it('reports a missing additionalTrustedCA ConfigMap as Degraded, naming it, and keeps what was distributed', async () => {
    await registryInputs();
    await applyConfigMap(t.kc, t.ns.configNamespace, 'registry-cas', { 'foo.example.com': fooCA });
    await setImageConfig(t.kc, { additionalTrustedCA: { name: 'registry-cas' } });
    await createConfig(t.kc, { managementState: 'Managed', storage: { emptyDir: {} } });
    t.app = await startNodeCAApp(t.kc, t.ns);
    await expect
      .poll(async () => (await configMapData(t.kc, t.ns.namespace, 'image-registry-certificates'))?.['foo.example.com'], { timeout: 60_000 })
      .toBe(fooCA);

    await setImageConfig(t.kc, { additionalTrustedCA: { name: 'gone-cas' } });
    await expect
      .poll(async () => (await nodeCAConditions(t.kc))['ImageRegistryCertificatesControllerDegraded'], { timeout: 60_000 })
      .toEqual({
        status: 'True',
        reason: 'Error',
        message: `configmap "gone-cas" not found in namespace ${t.ns.configNamespace}: create it, or change spec.additionalTrustedCA.name of images.config.openshift.io/cluster`,
      });
    expect((await configMapData(t.kc, t.ns.namespace, 'image-registry-certificates'))?.['foo.example.com']).toBe(fooCA);

    // Creating it heals the condition without any other change (it is watched).
    await applyConfigMap(t.kc, t.ns.configNamespace, 'gone-cas', { 'baz.example.com': barCA });
    await expect
      .poll(async () => (await nodeCAConditions(t.kc))['ImageRegistryCertificatesControllerDegraded']?.status, { timeout: 60_000 })
      .toBe('False');
    const data = await configMapData(t.kc, t.ns.namespace, 'image-registry-certificates');
    expect(Object.keys(data ?? {}).sort()).toEqual(
      ['baz.example.com', `image-registry.${t.ns.namespace}.svc..5000`, `image-registry.${t.ns.namespace}.svc.cluster.local..5000`].sort(),
    );
  });

  it('takes back a key someone added to the bundle, which every node would trust', async () => {
    await registryInputs();
    t.app = await startNodeCAApp(t.kc, t.ns);
    await expect.poll(() => configMapData(t.kc, t.ns.namespace, 'image-registry-certificates'), { timeout: 60_000 }).toBeDefined();
    await kubeRequest(
      t.kc,
      'PATCH',
      configMapPath(t.ns.namespace, 'image-registry-certificates'),
      { data: { 'evil.example.com': 'EVIL' } },
      'application/merge-patch+json',
    );
    await expect
      .poll(async () => Object.keys((await configMapData(t.kc, t.ns.namespace, 'image-registry-certificates')) ?? {}), { timeout: 60_000 })
      .not.toContain('evil.example.com');
  });

  it('keeps both ConfigMaps when the registry is Removed', async () => {
    await registryInputs();
    await createConfig(t.kc, { managementState: 'Removed', storage: { emptyDir: {} } });
    t.app = await startNodeCAApp(t.kc, t.ns);
    await expect
      .poll(async () => Object.keys((await configMapData(t.kc, t.ns.publishedNamespace, 'image-registry-ca')) ?? {}).length, { timeout: 60_000 })
      .toBe(2);
  });
});
