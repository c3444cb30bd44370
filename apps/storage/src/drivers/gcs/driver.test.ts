import { describe, expect, it } from 'vitest';
import type { ClusterFacts } from '../../cluster.ts';
import { StorageError } from '../driver.ts';
import type { GcsApi } from './client.ts';
import { GcsDriver } from './driver.ts';

const cluster: ClusterFacts = {
  infrastructureName: 'mycluster-abc12',
  platform: 'GCP',
  hasInfrastructure: true,
  aws: { serviceEndpoints: [], resourceTags: [] },
  gcp: {
    region: 'us-central1',
    projectID: 'infra-project',
    resourceLabels: [{ key: 'team', value: 'infra' }],
  },
  azure: { resourceTags: [] },
};
const credentials = {
  type: 'service_account',
  json: '{"type":"service_account","project_id":"key-project"}',
  parsed: { type: 'service_account', project_id: 'key-project' },
  projectID: 'key-project',
};

function apiError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** An in-memory Cloud Storage: buckets with labels, KMS key and objects. */
function fakeGcs() {
  const buckets = new Map<
    string,
    { location?: string; labels: Record<string, string>; kms?: string; objects: number }
  >();
  const api: GcsApi = {
    bucketExists: (b) => Promise.resolve(buckets.has(b)),
    createBucket: (b, o) => {
      if (buckets.has(b)) return Promise.reject(apiError(409, 'You already own this bucket.'));
      buckets.set(b, { location: o.location, labels: o.labels, kms: o.kmsKeyName, objects: 0 });
      return Promise.resolve();
    },
    updateBucket: (b, o) => {
      const bucket = buckets.get(b);
      if (!bucket) return Promise.reject(apiError(404, 'The specified bucket does not exist.'));
      Object.assign(bucket.labels, o.labels);
      if (o.kmsKeyName) bucket.kms = o.kmsKeyName;
      return Promise.resolve();
    },
    deleteAllObjects: (b) => {
      const bucket = buckets.get(b);
      if (!bucket) return Promise.reject(apiError(404, 'The specified bucket does not exist.'));
      bucket.objects = 0;
      return Promise.resolve();
    },
    deleteBucket: (b) => {
      const bucket = buckets.get(b);
      if (bucket && bucket.objects > 0)
        return Promise.reject(apiError(409, 'The bucket you tried to delete is not empty.'));
      return Promise.resolve(buckets.delete(b));
    },
  };
  const driver = new GcsDriver({ cluster, credentials, api, random: () => 0 });
  return { buckets, api, driver };
}

describe('GCS completeConfiguration', () => {
  it('takes region and project from the platform and draws a 62-character name', () => {
    const { config, generatedName } = fakeGcs().driver.completeConfiguration({});
    expect(generatedName).toBe(true);
    expect(config).toEqual({
      region: 'us-central1',
      projectID: 'infra-project',
      bucket: `mycluster-abc12-image-registry-us-central1-${'a'.repeat(19)}`,
    });
    expect(config.bucket).toHaveLength(62);
  });

  it('takes the project from the key file when the platform has none', () => {
    const d = new GcsDriver({
      cluster: { ...cluster, gcp: { resourceLabels: [] } },
      credentials,
      api: fakeGcs().api,
    });
    expect(d.completeConfiguration({ bucket: 'mine' })).toEqual({
      config: { bucket: 'mine', projectID: 'key-project' },
      generatedName: false,
    });
  });
});

describe('GCS provisioning', () => {
  it('creates a labelled bucket in the region, encrypted with keyID, and reports it', async () => {
    const { driver, buckets } = fakeGcs();
    const config = {
      bucket: 'b',
      region: 'us-central1',
      keyID: 'projects/p/locations/l/keyRings/r/cryptoKeys/k',
    };
    expect((await driver.storageExists(config)).exists).toBe(false);
    const r = await driver.createStorage(config, 'Managed', false);
    expect(buckets.get('b')).toEqual({
      location: 'us-central1',
      labels: { 'kubernetes-io-cluster-mycluster-abc12': 'owned', team: 'infra' },
      kms: config.keyID,
      objects: 0,
    });
    expect(r.conditions).toEqual([
      {
        type: 'StorageExists',
        status: 'True',
        reason: 'Creation Successful',
        message: 'GCS bucket was successfully created',
      },
      {
        type: 'StorageLabeled',
        status: 'True',
        reason: 'Bucket Labeled Successfully',
        message: 'Successfully added user-defined labels to b storage bucket',
      },
      {
        type: 'StorageEncrypted',
        status: 'True',
        reason: 'Encryption Successful',
        message: 'KMS encryption was successfully enabled on the GCS bucket',
      },
    ]);
  });

  it('re-applies labels and the KMS key to an existing Managed bucket (a keyID change takes effect)', async () => {
    const { driver, buckets } = fakeGcs();
    await driver.createStorage({ bucket: 'b' }, 'Managed', false);
    await driver.createStorage({ bucket: 'b', keyID: 'k2' }, 'Managed', true);
    expect(buckets.get('b')?.kms).toBe('k2');
  });

  it('leaves a user bucket alone', async () => {
    const { driver, buckets, api } = fakeGcs();
    await api.createBucket('mine', { location: undefined, labels: {}, kmsKeyName: undefined });
    const r = await driver.createStorage({ bucket: 'mine' }, 'Unmanaged', true);
    expect(buckets.get('mine')?.labels).toEqual({});
    expect(r.conditions).toEqual([
      {
        type: 'StorageExists',
        status: 'True',
        reason: 'GCS Bucket Exists',
        message: 'User supplied GCS bucket exists and is accessible',
      },
    ]);
  });

  it('reports a Google error with its HTTP code as reason', async () => {
    const { driver, api } = fakeGcs();
    api.createBucket = () =>
      Promise.reject(apiError(403, 'caller does not have storage.buckets.create access'));
    const err = (await driver
      .createStorage({ bucket: 'b' }, 'Managed', false)
      .catch((e: unknown) => e)) as StorageError;
    expect(err).toBeInstanceOf(StorageError);
    expect(err.conditions).toEqual([
      {
        type: 'StorageExists',
        status: 'False',
        reason: '403',
        message: 'creating bucket b: caller does not have storage.buckets.create access',
      },
    ]);
  });
});

describe('GCS removeStorage', () => {
  it('empties a non-empty bucket before deleting it (upstream cannot)', async () => {
    const { driver, buckets } = fakeGcs();
    await driver.createStorage({ bucket: 'b' }, 'Managed', false);
    buckets.set('b', { labels: {}, objects: 3 });
    expect((await driver.removeStorage({ bucket: 'b' })).condition).toEqual({
      type: 'StorageExists',
      status: 'False',
      reason: 'GCS Bucket Deleted',
      message: 'The GCS bucket has been removed.',
    });
    expect(buckets.has('b')).toBe(false);
  });

  it('succeeds when the bucket is gone already', async () => {
    expect((await fakeGcs().driver.removeStorage({ bucket: 'gone' })).condition.message).toBe(
      'The GCS bucket did not exist.',
    );
  });
});

it('GCS private configuration is the key file', () => {
  expect(fakeGcs().driver.privateConfiguration()).toEqual({
    REGISTRY_STORAGE_GCS_KEYFILE: credentials.json,
  });
});
