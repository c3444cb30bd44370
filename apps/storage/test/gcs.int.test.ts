import { generateKeyPairSync } from 'node:crypto';
import { Storage } from '@google-cloud/storage';
import { KubeClient } from '@image-registry/controller-runtime';
import {
  createTestNamespace,
  testKubeConfig,
  useStorageEmulators,
  type FakeGcs,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { startHoldingFront } from './net.ts';
import {
  applyConfig,
  deleteConfig,
  fieldManager,
  getConfig,
  patchConfig,
  putSecret,
  readSecret,
  startStorageApp,
  storageConditions,
  testInfrastructureName,
  type StorageApp,
} from './support.ts';

let kc: KubeConfig;
let gcs: FakeGcs;
let client: Storage;
let namespace: string;
let infra: string;
let apps: StorageApp[] = [];

/** A service-account key file as GCP issues it (fake-gcs-server never checks it). */
function serviceAccountKeyfile(projectId: string): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return JSON.stringify({
    type: 'service_account',
    project_id: projectId,
    private_key_id: 'test',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: `registry@${projectId}.iam.gserviceaccount.com`,
    client_id: '1',
    token_uri: 'https://oauth2.googleapis.com/token',
  });
}
let keyfile: string;
const emulators = useStorageEmulators();

beforeAll(async () => {
  kc = testKubeConfig();
  gcs = await emulators.gcs();
  client = new Storage({ apiEndpoint: gcs.endpoint, projectId: gcs.projectId });
  keyfile = serviceAccountKeyfile(gcs.projectId);
});

beforeEach(async () => {
  await deleteConfig(kc);
  namespace = await createTestNamespace(kc, 'storage-gcs');
  infra = testInfrastructureName();
  await putSecret(kc, namespace, 'image-registry-private-configuration-user', {
    REGISTRY_STORAGE_GCS_KEYFILE: keyfile,
  });
});

afterEach(async () => {
  for (const app of apps) await app.stop();
  apps = [];
  await deleteConfig(kc);
});

const start = async (opts: { client?: KubeClient; endpoint?: string } = {}) => {
  const { endpoint, ...rest } = opts;
  const app = await startStorageApp(kc, {
    namespace,
    infrastructureName: infra,
    drivers: { gcsEndpoint: endpoint ?? gcs.endpoint },
    ...rest,
  });
  apps.push(app);
  return app;
};
/** The buckets this test's cluster owns (named after its infrastructure name). */
const ourBuckets = async () =>
  (await client.getBuckets())[0].map((b) => b.name).filter((n) => n.startsWith(`${infra}-`));

describe('GCS on fake-gcs-server', () => {
  it('creates a bucket under a generated 62-character name and publishes it with the key file', async () => {
    await applyConfig(kc, { storage: { gcs: {} } });
    await start();

    await expect
      .poll(async () => (await getConfig(kc))?.status?.storage?.gcs?.bucket, { timeout: 30_000 })
      .toBeDefined();
    const config = await getConfig(kc);
    const bucket = config?.spec?.storage?.gcs?.bucket ?? '';
    expect(bucket).toMatch(new RegExp(`^${infra}-image-registry-[a-y]+$`));
    expect(bucket).toHaveLength(62);
    expect(config?.spec?.storage).toEqual({
      managementState: 'Managed',
      gcs: { bucket, projectID: gcs.projectId },
    });
    expect(config?.status?.storage).toEqual({
      managementState: 'Managed',
      gcs: { bucket, projectID: gcs.projectId },
    });
    expect(config?.status?.storageManaged).toBe(true);
    await expect
      .poll(() => storageConditions(kc), { timeout: 30_000 })
      .toEqual({
        StorageExists: {
          status: 'True',
          reason: 'GCS Bucket Exists',
          message: `GCS bucket ${bucket} exists and is accessible`,
        },
        StorageLabeled: {
          status: 'True',
          reason: 'Bucket Labeled Successfully',
          message: `Successfully added user-defined labels to ${bucket} storage bucket`,
        },
        StorageControllerDegraded: { status: 'False', reason: 'AsExpected', message: '' },
      });
    expect(await ourBuckets()).toEqual([bucket]);
    expect(await readSecret(kc, namespace, 'image-registry-private-configuration')).toEqual({
      REGISTRY_STORAGE_GCS_KEYFILE: keyfile,
    });
  });

  it('empties and deletes its non-empty bucket on Removed (upstream cannot)', async () => {
    await applyConfig(kc, { storage: { gcs: {} } });
    await start();
    await expect
      .poll(async () => (await storageConditions(kc))['StorageExists']?.status, { timeout: 30_000 })
      .toBe('True');
    const bucket = (await getConfig(kc))?.status?.storage?.gcs?.bucket ?? '';
    for (const name of ['docker/registry/v2/blobs/a/data', 'docker/registry/v2/blobs/b/data'])
      await client.bucket(bucket).file(name).save('blob');

    await patchConfig(kc, { spec: { managementState: 'Removed' } });
    await expect.poll(ourBuckets, { timeout: 30_000 }).toEqual([]);
    await expect
      .poll(async () => (await storageConditions(kc))['StorageExists'], { timeout: 30_000 })
      .toEqual({
        status: 'False',
        reason: 'GCS Bucket Deleted',
        message: 'The GCS bucket has been removed.',
      });
    await expect.poll(async () => (await getConfig(kc))?.status?.storage, { timeout: 30_000 }).toEqual({});
  });

  it('converges after a crash between creating the bucket and publishing it, without a second bucket', async () => {
    // An app that dies each time right before it writes the status: the bucket exists, status.storage does not.
    let crashes = 0;
    class CrashBeforeStatus extends KubeClient {
      override applyStatus<T extends object>(): Promise<T> {
        crashes++;
        return Promise.reject(new Error('simulated crash before publishing the status'));
      }
    }
    await applyConfig(kc, { storage: { gcs: {} } });
    const crashing = await start({ client: new CrashBeforeStatus({ kubeConfig: kc, fieldManager }) });
    await expect.poll(() => crashes, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await crashing.stop();
    const created = await ourBuckets();
    expect(created).toHaveLength(1);
    expect((await getConfig(kc))?.status?.storage?.gcs).toBeUndefined();

    // A fresh process takes over: same bucket, still Managed (it generated the name), now published.
    await start();
    await expect
      .poll(async () => (await getConfig(kc))?.status?.storage, { timeout: 30_000 })
      .toEqual({
        managementState: 'Managed',
        gcs: { bucket: created[0], projectID: gcs.projectId },
      });
    expect(await ourBuckets()).toEqual(created);
  });

  it('a deposed leader stops emptying its bucket after the page in flight, and the next leader finishes', async () => {
    // The app talks to fake-gcs through a front that holds object deletes back until the test has acted.
    const objectDelete = (method: string, url: string) => method === 'DELETE' && url.includes('/o/');
    const front = await startHoldingFront(gcs.endpoint, objectDelete);
    onTestFinished(() => front.close());
    await applyConfig(kc, { storage: { gcs: {} } });
    const app = await start({ endpoint: front.endpoint });
    await expect
      .poll(async () => (await storageConditions(kc))['StorageExists']?.status, { timeout: 30_000 })
      .toBe('True');
    const bucket = (await getConfig(kc))?.status?.storage?.gcs?.bucket ?? '';
    // More than one page (the app lists 1000 at a time).
    const total = 1500;
    const names = Array.from(
      { length: total },
      (_, i) => `docker/registry/v2/blobs/${String(i).padStart(5, '0')}`,
    );
    for (let i = 0; i < names.length; i += 50)
      await Promise.all(names.slice(i, i + 50).map((n) => client.bucket(bucket).file(n).save('x')));
    const objectCount = async () => (await client.bucket(bucket).getFiles({ versions: true }))[0].length;
    const pagesListed = () =>
      front.seen.filter((r) => r.startsWith('GET ') && r.includes(`/b/${bucket}/o?`)).length;

    await patchConfig(kc, { spec: { managementState: 'Removed' } });
    await expect.poll(() => front.held(), { timeout: 60_000 }).toBeGreaterThan(0);
    // What losing the lease does: the reconcile's signal aborts at once, while the first page is in flight.
    const stopped = app.controller.stop({ graceMs: 0 });
    front.release();
    await stopped;

    // The controller is idle: it listed one page, deleted no more than that page, and left the bucket.
    expect(pagesListed()).toBe(1);
    const left = await objectCount();
    expect(left).toBeGreaterThanOrEqual(total - 1000);
    expect(await ourBuckets()).toEqual([bucket]);
    expect((await getConfig(kc))?.status?.storage?.gcs?.bucket).toBe(bucket);

    // The next leader resumes and finishes the removal.
    await app.stop();
    await start();
    await expect.poll(ourBuckets, { timeout: 120_000 }).toEqual([]);
    await expect.poll(async () => (await getConfig(kc))?.status?.storage, { timeout: 60_000 }).toEqual({});
  });
});
