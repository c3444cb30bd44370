import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Storage } from '@google-cloud/storage';
import { createTestNamespace, testKubeConfig, useStorageEmulators } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { startFakeGoogleSts, startFakeSts } from './net.ts';
import {
  applyConfig,
  deleteConfig,
  getConfig,
  readSecret,
  startStorageApp,
  storageConditions,
  testInfrastructureName,
  type StorageApp,
} from './support.ts';

/**
 * No static keys: the storage app's own calls authenticate with a projected ServiceAccount token
 * (IRSA on S3, workload identity federation on GCS), and the registry gets credentials that point at
 * its own token, never a key.
 */

let kc: KubeConfig;
let namespace: string;
let infra: string;
let app: StorageApp | undefined;
const emulators = useStorageEmulators();
let tokenDir: string;

beforeAll(() => {
  kc = testKubeConfig();
  tokenDir = mkdtempSync(join(tmpdir(), 'iro-web-identity-'));
});

beforeEach(async () => {
  await deleteConfig(kc);
  namespace = await createTestNamespace(kc, 'storage-web-identity');
  infra = testInfrastructureName();
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
  await deleteConfig(kc);
});

/** A projected ServiceAccount token as the kubelet writes it. */
function tokenFile(name: string, token: string): string {
  const path = join(tokenDir, name);
  writeFileSync(path, token);
  return path;
}

describe('web identity', () => {
  it('S3 with IRSA (AWS_ROLE_ARN and a token file): assumes the role, provisions, and hands the registry a role profile', async () => {
    const minio = await emulators.minio();
    const roleArn = 'arn:aws:iam::123456789012:role/image-registry';
    const sts = await startFakeSts({ roleArn, token: 'projected-sa-token' }, minio);
    onTestFinished(() => sts.close());
    await applyConfig(kc, { storage: { s3: { regionEndpoint: minio.endpoint, region: 'us-east-1' } } });
    app = await startStorageApp(kc, {
      namespace,
      infrastructureName: infra,
      env: {
        AWS_ROLE_ARN: roleArn,
        AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile('aws-token', 'projected-sa-token'),
      },
      drivers: { stsEndpoint: sts.endpoint },
    });
    const bucket = `${infra}-image-registry-us-east-1`;
    await expect
      .poll(async () => (await storageConditions(kc))['StorageExists'], { timeout: 60_000 })
      .toMatchObject({ status: 'True' });
    expect(sts.calls[0]).toEqual({ roleArn, token: 'projected-sa-token' });
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint: minio.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
    });
    onTestFinished(() => s3.destroy());
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    expect(await readSecret(kc, namespace, 'image-registry-private-configuration')).toEqual({
      credentials: `[default]\nrole_arn = ${roleArn}\nweb_identity_token_file = /var/run/secrets/openshift/serviceaccount/token\n`,
    });
  });

  it('S3: a role STS refuses is StorageExists Unknown and nothing is created', async () => {
    const minio = await emulators.minio();
    const sts = await startFakeSts({ roleArn: 'arn:aws:iam::1:role/other', token: 't' }, minio);
    onTestFinished(() => sts.close());
    await applyConfig(kc, { storage: { s3: { regionEndpoint: minio.endpoint, region: 'us-east-1' } } });
    app = await startStorageApp(kc, {
      namespace,
      infrastructureName: infra,
      env: {
        AWS_ROLE_ARN: 'arn:aws:iam::1:role/mine',
        AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile('aws-bad', 't'),
      },
      drivers: { stsEndpoint: sts.endpoint },
    });
    await expect
      .poll(async () => (await storageConditions(kc))['StorageExists'], { timeout: 60_000 })
      .toMatchObject({ status: 'Unknown', message: expect.stringContaining('AccessDenied') });
    expect((await getConfig(kc))?.status?.storage ?? {}).toEqual({});
  });

  it('GCS with an external-account file (workload identity federation): exchanges the token, provisions, and hands the registry the same federation', async () => {
    const gcs = await emulators.gcs();
    const googleSts = await startFakeGoogleSts();
    onTestFinished(() => googleSts.close());
    const external = JSON.stringify({
      type: 'external_account',
      audience:
        '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/pool/providers/cluster',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: googleSts.tokenUrl,
      credential_source: { file: tokenFile('gcp-token', 'projected-gcp-token') },
    });
    const adc = join(tokenDir, 'adc.json');
    writeFileSync(adc, external);
    await applyConfig(kc, { storage: { gcs: { projectID: gcs.projectId, region: 'us-central1' } } });
    app = await startStorageApp(kc, {
      namespace,
      infrastructureName: infra,
      env: { GOOGLE_APPLICATION_CREDENTIALS: adc },
      drivers: { gcsEndpoint: gcs.endpoint },
    });
    await expect
      .poll(async () => (await storageConditions(kc))['StorageExists'], { timeout: 60_000 })
      .toMatchObject({ status: 'True' });
    expect(googleSts.subjectTokens).toContain('projected-gcp-token');
    const bucket = (await getConfig(kc))?.status?.storage?.gcs?.bucket ?? '';
    const [exists] = await new Storage({ apiEndpoint: gcs.endpoint, projectId: gcs.projectId })
      .bucket(bucket)
      .exists();
    expect(exists).toBe(true);
    const handed = (await readSecret(kc, namespace, 'image-registry-private-configuration'))?.[
      'application_default_credentials.json'
    ];
    // The same federation, with the registry pod's own token as the subject token.
    expect(JSON.parse(handed ?? '{}')).toEqual({
      ...JSON.parse(external),
      credential_source: { file: '/var/run/secrets/openshift/serviceaccount/token' },
    });
  });
});
