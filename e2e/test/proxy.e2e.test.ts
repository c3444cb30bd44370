// configuration_test.go's TestOperatorProxyConfiguration: bogus HTTP_PROXY/HTTPS_PROXY in the operator's
// environment, NO_PROXY covering the API server, make StorageExists Unknown; without them it is True again.
// Upstream sets them on the operator Deployment (a rollout); here the storage app, the one that talks to
// the cloud, is restarted with them. The proxy is a closed loopback port; NO_PROXY names the API server by
// host and port, as MinIO shares its loopback address and must still go through the proxy.
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '@image-registry/testing';
import {
  condition,
  ensureAvailable,
  ensureClusterOperatorNormal,
  freshConfig,
  getConfig,
  kc,
  restartApp,
  teardown,
  timeout,
} from '../src/helpers.ts';
import { createSecret, emulators, expectCondition, userSecret } from '../src/storage.ts';

const minio = emulators.minio;

describe('proxy', () => {
  afterEach(teardown);

  it('TestOperatorProxyConfiguration', async () => {
    await createSecret(userSecret, {
      REGISTRY_STORAGE_S3_ACCESSKEY: minio.accessKeyId,
      REGISTRY_STORAGE_S3_SECRETKEY: minio.secretAccessKey,
    });
    await freshConfig({ storage: { s3: { region: minio.region, regionEndpoint: minio.endpoint } } });
    await ensureAvailable();
    await expectCondition('StorageExists', 'True', 'S3 Bucket Exists');

    const proxy = `http://127.0.0.1:${await freePort()}`;
    const apiServer = new URL(kc.getCurrentCluster()?.server ?? '').host;
    onTestFinished(() => restartApp('storage'));
    await restartApp('storage', { HTTP_PROXY: proxy, HTTPS_PROXY: proxy, NO_PROXY: apiServer });
    await expect
      .poll(
        async () => {
          const c = condition(await getConfig(), 'StorageExists');
          return { status: c?.status, reason: c?.reason, message: c?.message };
        },
        { timeout, interval: 1_000 },
      )
      .toMatchObject({
        status: 'Unknown',
        reason: 'Unknown Error Occurred',
        // Node names only the address it could not reach; the app says that it is the proxy's.
        message: expect.stringContaining(`proxy ${proxy}: connect ECONNREFUSED`),
      });

    await restartApp('storage');
    await expectCondition('StorageExists', 'True', 'S3 Bucket Exists');
    await ensureAvailable();
    await ensureClusterOperatorNormal();
  });
});
