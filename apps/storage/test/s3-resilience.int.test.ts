import { describe, expect, it } from 'vitest';
import {
  bucketExists,
  infra,
  kc,
  minio,
  minioStorage,
  namespace,
  objectKeys,
  putObjects,
  start,
  storageExists,
  useS3Suite,
} from './s3-fixture.ts';
import { applyConfig, getConfig, patchConfig, readSecret, storageConditions } from './support.ts';

useS3Suite('storage-s3-resilience');

describe('S3 on MinIO when things fail', () => {
  it('retries while the endpoint is down, says so, deletes nothing, and recovers on the same bucket', async () => {
    await applyConfig(kc, { storage: minioStorage() });
    await start(1000);
    const bucket = `${infra}-image-registry-us-east-1`;
    await expect.poll(storageExists, { timeout: 30_000 }).toMatchObject({ status: 'True' });
    await putObjects(bucket, ['kept']);
    const published = (await getConfig(kc))?.status?.storage;

    await minio.halt();
    try {
      // A spec change makes the app look at the storage again.
      await patchConfig(kc, { spec: { storage: { s3: { chunkSizeMiB: 16 } } } });
      await expect
        .poll(storageExists, { timeout: 30_000 })
        .toMatchObject({ status: 'Unknown', reason: 'Unknown Error Occurred' });
      expect((await storageExists())?.message).toMatch(new RegExp(`^HeadBucket ${bucket}: `));
      await expect
        .poll(async () => (await storageConditions(kc))['StorageControllerDegraded'], { timeout: 30_000 })
        .toMatchObject({
          status: 'True',
          reason: 'ProvisioningFailed',
        });
      // The registry keeps its last working storage and credentials; the bucket is not given up.
      const config = await getConfig(kc);
      expect(config?.status?.storage).toEqual(published);
      expect(config?.spec?.storage?.s3?.bucket).toBe(bucket);
      expect(await readSecret(kc, namespace, 'image-registry-private-configuration')).toHaveProperty(
        'credentials',
      );
    } finally {
      await minio.resume();
    }
    await expect
      .poll(async () => (await storageConditions(kc))['StorageControllerDegraded'], { timeout: 60_000 })
      .toMatchObject({
        status: 'False',
        reason: 'AsExpected',
      });
    expect(await storageExists()).toMatchObject({ status: 'True' });
    expect((await getConfig(kc))?.status?.storage?.s3).toEqual({ ...published?.s3, chunkSizeMiB: 16 });
    expect(await objectKeys(bucket)).toEqual(['kept']);
  });

  it('keeps retrying the removal of a Managed bucket while the endpoint is down, and keeps status.storage until it succeeds', async () => {
    await applyConfig(kc, { storage: minioStorage() });
    await start(1000);
    const bucket = `${infra}-image-registry-us-east-1`;
    await expect.poll(storageExists, { timeout: 30_000 }).toMatchObject({ status: 'True' });
    const published = (await getConfig(kc))?.status?.storage;

    await minio.halt();
    try {
      await patchConfig(kc, { spec: { managementState: 'Removed' } });
      await expect
        .poll(async () => (await storageConditions(kc))['StorageControllerDegraded'], { timeout: 30_000 })
        .toMatchObject({
          status: 'True',
          reason: 'RemoveFailed',
        });
      expect((await storageConditions(kc))['StorageControllerDegraded']?.message).toMatch(
        /^Unable to remove storage: /,
      );
      expect((await getConfig(kc))?.status?.storage).toEqual(published);
    } finally {
      await minio.resume();
    }
    await expect.poll(() => bucketExists(bucket), { timeout: 60_000 }).toBe(false);
    await expect.poll(async () => (await getConfig(kc))?.status?.storage, { timeout: 30_000 }).toEqual({});
  });

  it('provisions the new backend when the spec switches, and leaves the old bucket untouched even on Removed', async () => {
    await applyConfig(kc, { storage: minioStorage() });
    await start();
    const bucket = `${infra}-image-registry-us-east-1`;
    await expect.poll(storageExists, { timeout: 30_000 }).toMatchObject({ status: 'True' });
    await putObjects(bucket, ['old-blob']);

    await patchConfig(kc, { spec: { storage: { s3: null, emptyDir: {} } } });
    await expect
      .poll(async () => (await getConfig(kc))?.status?.storage, { timeout: 30_000 })
      .toEqual({ managementState: 'Managed', emptyDir: {} });
    expect(Object.keys(await storageConditions(kc)).sort()).toEqual([
      'StorageControllerDegraded',
      'StorageExists',
    ]);
    expect(await objectKeys(bucket)).toEqual(['old-blob']);

    await patchConfig(kc, { spec: { managementState: 'Removed' } });
    await expect.poll(async () => (await getConfig(kc))?.status?.storage, { timeout: 30_000 }).toEqual({});
    expect(await objectKeys(bucket)).toEqual(['old-blob']);
  });
});
