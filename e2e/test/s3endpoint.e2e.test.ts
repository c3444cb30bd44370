// s3endpoint_test.go: MinIO over HTTPS with a certificate of a private CA, trusted through a ConfigMap in
// openshift-config, with the admin's keys in the -user secret. Upstream runs MinIO as a Deployment; here
// it is the emulator on loopback behind a TLS front (kwok's pods run nothing).
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { createServingCertificate, s3BucketFacts } from '@image-registry/testing';
import { ensureAvailable, freshConfig, kubectl, teardown } from '../src/helpers.ts';
import { configStorage, createSecret, emulators, userSecret } from '../src/storage.ts';
import { startTlsFront } from '../src/tls-front.ts';

const minio = emulators.minio;
const caConfigMapName = 'e2e-image-registry-s3-minio-ca';

describe('S3 endpoint', () => {
  afterEach(teardown);

  it('TestS3Minio', async () => {
    const tls = await createServingCertificate({ ipAddresses: ['127.0.0.1'] });
    const front = await startTlsFront(minio.endpoint, tls);
    onTestFinished(() => front.close());
    await kubectl(
      'create',
      'configmap',
      caConfigMapName,
      `--from-literal=ca-bundle.crt=${tls.caCert}`,
      '--namespace',
      'openshift-config',
    );
    onTestFinished(async () => {
      await kubectl('delete', 'configmap', caConfigMapName, '--namespace', 'openshift-config');
    });
    await createSecret(userSecret, {
      REGISTRY_STORAGE_S3_ACCESSKEY: minio.accessKeyId,
      REGISTRY_STORAGE_S3_SECRETKEY: minio.secretAccessKey,
    });

    await freshConfig({
      storage: { s3: { regionEndpoint: front.endpoint, trustedCA: { name: caConfigMapName } } },
    });
    // The region as the OpenShift documentation sets it on an S3-compatible endpoint.
    await kubectl(
      'patch',
      'configs.imageregistry.operator.openshift.io/cluster',
      '--type',
      'merge',
      '-p',
      `{"spec":{"storage":{"s3":{"region":"${minio.region}"}}}}`,
    );
    await ensureAvailable();
    const bucket = (await configStorage()).status['s3'] as { bucket?: string; regionEndpoint?: string };
    expect(bucket.regionEndpoint).toBe(front.endpoint);
    expect(await s3BucketFacts(minio, bucket.bucket ?? '')).toBeDefined();
  });
});
