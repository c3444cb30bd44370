import { describe, expect, it } from 'vitest';
import { StorageError } from './driver.ts';
import { EmptyDirDriver } from './emptydir.ts';
import {
  PvcDriver,
  accessModeProblem,
  desiredClaim,
  type ClaimApi,
  type PersistentVolumeClaim,
} from './pvc.ts';

function fakeClaims(initial: PersistentVolumeClaim[] = []) {
  const claims = new Map(initial.map((c) => [c.metadata?.name ?? '', c]));
  const api: ClaimApi = {
    get: (n) => Promise.resolve(claims.get(n)),
    create: (c) => {
      claims.set(c.metadata?.name ?? '', c);
      return Promise.resolve();
    },
    delete: (n) => Promise.resolve(claims.delete(n)),
  };
  return { claims, api };
}

const driver = (api: ClaimApi, replicas = 2, rolloutStrategy?: string) =>
  new PvcDriver({ namespace: 'ns', claims: api, replicas, rolloutStrategy });

describe('PVC driver', () => {
  it("creates image-registry-storage RWX on the default class, marked as the operator's", async () => {
    const { claims, api } = fakeClaims();
    const d = driver(api);
    const { config, generatedName } = d.completeConfiguration({});
    expect(config).toEqual({ claim: 'image-registry-storage' });
    expect(generatedName).toBe(true);
    const r = await d.createStorage(config, 'Managed', false);
    expect(claims.get('image-registry-storage')).toEqual(desiredClaim('image-registry-storage', 'ns'));
    expect(claims.get('image-registry-storage')?.spec).toEqual({
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: '100Gi' } },
    });
    expect(r.conditions).toEqual([
      {
        type: 'StorageExists',
        status: 'True',
        reason: 'PVC Created',
        message: 'PVC image-registry-storage was created',
      },
    ]);
  });

  it('uses a user claim as it is', async () => {
    const { api } = fakeClaims([{ metadata: { name: 'mine' }, spec: { accessModes: ['ReadWriteMany'] } }]);
    const r = await driver(api).createStorage({ claim: 'mine' }, 'Unmanaged', true);
    expect(r.conditions[0]).toEqual({
      type: 'StorageExists',
      status: 'True',
      reason: 'PVC Exists',
      message: 'PVC mine exists',
    });
  });

  it('refuses to adopt a default-named claim it did not create', async () => {
    const { api } = fakeClaims([
      { metadata: { name: 'image-registry-storage' }, spec: { accessModes: ['ReadWriteMany'] } },
    ]);
    const err = (await driver(api)
      .createStorage({ claim: 'image-registry-storage' }, 'Managed', true)
      .catch((e: unknown) => e)) as StorageError;
    expect(err).toBeInstanceOf(StorageError);
    expect(err.conditions[0]).toEqual({
      type: 'StorageExists',
      status: 'False',
      reason: 'PVC Already Exists',
      message: 'could not create default PVC, it already exists and is not owned by the operator',
    });
  });

  it('requires one replica and Recreate for a ReadWriteOnce claim', async () => {
    const rwo = { metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'] } };
    expect(accessModeProblem(rwo, 2, 'Recreate')).toBe(
      'cannot use ReadWriteOnce access mode with more than one replica of the image registry',
    );
    expect(accessModeProblem(rwo, 1, undefined)).toBe(
      'cannot use ReadWriteOnce access mode with RollingUpdate rollout strategy',
    );
    expect(accessModeProblem(rwo, 1, 'Recreate')).toBeUndefined();
    expect(
      accessModeProblem({ metadata: { name: 'c' }, spec: { accessModes: ['ReadOnlyMany'] } }, 1, 'Recreate'),
    ).toBe('PVC c does not contain the necessary access modes: ReadWriteMany or ReadWriteOnce');
    const { api } = fakeClaims([rwo]);
    const err = (await driver(api, 2)
      .createStorage({ claim: 'c' }, 'Unmanaged', true)
      .catch((e: unknown) => e)) as StorageError;
    expect(err.conditions[0]).toMatchObject({ status: 'False', reason: 'PVC Issues Found' });
    expect(err.retriable).toBe(false);
  });

  it('says what to do when a user-named claim is missing', async () => {
    const err = (await driver(fakeClaims().api)
      .createStorage({ claim: 'nope' }, 'Unmanaged', false)
      .catch((e: unknown) => e)) as StorageError;
    expect(err.message).toContain('PVC nope does not exist in namespace ns');
  });

  it('deletes the claim on removal', async () => {
    const { claims, api } = fakeClaims([desiredClaim('image-registry-storage', 'ns')]);
    expect((await driver(api).removeStorage({ claim: 'image-registry-storage' })).condition).toMatchObject({
      reason: 'PVC Deleted',
    });
    expect(claims.size).toBe(0);
  });
});

describe('emptyDir driver', () => {
  it('exists at once and warns that data is lost when pods restart', async () => {
    const r = await new EmptyDirDriver().createStorage({});
    expect(r.conditions[0]).toMatchObject({
      type: 'StorageExists',
      status: 'True',
      reason: 'Creation Successful',
    });
    expect(r.conditions[0]?.message).toContain('Images are lost whenever a registry pod restarts');
  });
});
