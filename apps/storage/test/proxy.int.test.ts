import {
  applyYaml,
  createTestNamespace,
  kubeRequest,
  testKubeConfig,
  useStorageEmulators,
  type Minio,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { deadProxyUrl, startLoopbackProxy } from './net.ts';
import {
  admin,
  applyConfig,
  deleteConfig,
  patchConfig,
  putSecret,
  startStorageApp,
  storageConditions,
  testInfrastructureName,
  type StorageApp,
  type StorageAppOptions,
} from './support.ts';

/** TestOperatorProxyConfiguration, replayed locally: the cloud calls go where the proxy settings say. */

let kc: KubeConfig;
let minio: Minio;
let namespace: string;
let app: StorageApp | undefined;
const emulators = useStorageEmulators();
const proxyPath = '/apis/config.openshift.io/v1/proxies/cluster';

beforeAll(async () => {
  kc = testKubeConfig();
  minio = await emulators.minio();
});

beforeEach(async () => {
  await deleteConfig(kc);
  namespace = await createTestNamespace(kc, 'storage-proxy');
  await putSecret(kc, namespace, 'image-registry-private-configuration-user', {
    REGISTRY_STORAGE_S3_ACCESSKEY: minio.accessKeyId,
    REGISTRY_STORAGE_S3_SECRETKEY: minio.secretAccessKey,
  });
  await applyConfig(kc, { storage: { s3: { regionEndpoint: minio.endpoint, region: 'us-east-1' } } });
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
  await deleteConfig(kc);
  await kubeRequest(kc, 'DELETE', proxyPath).catch(() => undefined);
});

const start = async (extra: Partial<StorageAppOptions>) => {
  app = await startStorageApp(kc, { namespace, infrastructureName: testInfrastructureName(), ...extra });
};
const storageExists = async () => (await storageConditions(kc))['StorageExists'];

/** Proxy/cluster with this status (the platform writes status; the spec is the admin's request). */
async function setClusterProxy(status: Record<string, string>): Promise<void> {
  await applyYaml(
    kc,
    { apiVersion: 'config.openshift.io/v1', kind: 'Proxy', metadata: { name: 'cluster' }, spec: {} } as never,
    { fieldManager: admin },
  );
  await kubeRequest(kc, 'PATCH', `${proxyPath}/status`, { status }, 'application/merge-patch+json');
}

describe('proxies', () => {
  it("sends every S3 call through the process's HTTP_PROXY", async () => {
    const proxy = await startLoopbackProxy();
    onTestFinished(() => proxy.close());
    await start({ env: { HTTP_PROXY: proxy.url } });
    await expect.poll(storageExists, { timeout: 60_000 }).toMatchObject({ status: 'True' });
    expect(proxy.seen.some((r) => r.startsWith(`HEAD ${minio.endpoint}/`))).toBe(true);
    expect(proxy.seen.some((r) => r.startsWith(`PUT ${minio.endpoint}/`))).toBe(true);
  });

  it('honours NO_PROXY for the endpoint', async () => {
    const proxy = await startLoopbackProxy();
    onTestFinished(() => proxy.close());
    await start({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } });
    await expect.poll(storageExists, { timeout: 60_000 }).toMatchObject({ status: 'True' });
    expect(proxy.seen).toEqual([]);
  });

  it('a dead process proxy makes StorageExists Unknown', async () => {
    await start({ env: { HTTP_PROXY: await deadProxyUrl() } });
    await expect
      .poll(storageExists, { timeout: 60_000 })
      .toMatchObject({ status: 'Unknown', reason: 'Unknown Error Occurred' });
  });

  it('with --use-cluster-proxy, a dead cluster proxy makes StorageExists Unknown and removing it recovers', async () => {
    await setClusterProxy({ httpProxy: await deadProxyUrl(), httpsProxy: await deadProxyUrl() });
    await start({ useClusterProxy: true });
    await expect
      .poll(storageExists, { timeout: 60_000 })
      .toMatchObject({ status: 'Unknown', reason: 'Unknown Error Occurred' });

    await kubeRequest(
      kc,
      'PATCH',
      `${proxyPath}/status`,
      { status: { httpProxy: '', httpsProxy: '' } },
      'application/merge-patch+json',
    );
    // The Proxy's change wakes the app; the retry backoff may also get there first.
    await patchConfig(kc, { spec: { storage: { s3: { chunkSizeMiB: 10 } } } });
    await expect.poll(storageExists, { timeout: 90_000 }).toMatchObject({ status: 'True' });
  });
});
