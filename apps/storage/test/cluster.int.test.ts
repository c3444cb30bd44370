import {
  applyYaml,
  createTestNamespace,
  kubeRequest,
  KubeRequestError,
  testKubeConfig,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emptyDirMessage } from '../src/drivers/emptydir.ts';
import {
  applyConfig,
  deleteConfig,
  getConfig,
  patchConfig,
  readSecret,
  startStorageApp,
  storageConditions,
  testInfrastructureName,
  type StorageApp,
} from './support.ts';

const infrastructurePath = '/apis/config.openshift.io/v1/infrastructures/cluster';

let kc: KubeConfig;
let namespace: string;
let app: StorageApp | undefined;

beforeAll(() => {
  kc = testKubeConfig();
});

beforeEach(async () => {
  await deleteConfig(kc);
  namespace = await createTestNamespace(kc, 'storage');
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
  await deleteConfig(kc);
  await kubeRequest(kc, 'DELETE', infrastructurePath).catch(() => undefined);
});

const start = async () => {
  app = await startStorageApp(kc, { namespace, infrastructureName: testInfrastructureName() });
};
const claimPath = (name: string) => `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${name}`;
async function getClaim(
  name: string,
): Promise<
  { metadata: { annotations?: Record<string, string> }; spec: Record<string, unknown> } | undefined
> {
  try {
    return await kubeRequest(kc, 'GET', claimPath(name));
  } catch (err) {
    if (err instanceof KubeRequestError && err.status === 404) return undefined;
    throw err;
  }
}

describe('PVC', () => {
  it('creates image-registry-storage RWX on the default class, marks it Managed, and deletes it on Removed', async () => {
    await applyConfig(kc, { storage: { pvc: {} } });
    await start();

    await expect
      .poll(() => storageConditions(kc), { timeout: 30_000 })
      .toEqual({
        StorageExists: { status: 'True', reason: 'PVC Exists', message: 'PVC image-registry-storage exists' },
        StorageControllerDegraded: { status: 'False', reason: 'AsExpected', message: '' },
      });
    const claim = await getClaim('image-registry-storage');
    expect(claim?.metadata.annotations).toMatchObject({ 'imageregistry.openshift.io': 'true' });
    expect(claim?.spec).toMatchObject({
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: '100Gi' } },
    });
    expect(claim?.spec['storageClassName']).toBeUndefined();
    const config = await getConfig(kc);
    expect(config?.spec?.storage).toEqual({
      managementState: 'Managed',
      pvc: { claim: 'image-registry-storage' },
    });
    expect(config?.status?.storage).toEqual({
      managementState: 'Managed',
      pvc: { claim: 'image-registry-storage' },
    });
    expect(await readSecret(kc, namespace, 'image-registry-private-configuration')).toEqual({});

    await patchConfig(kc, { spec: { managementState: 'Removed' } });
    await expect.poll(() => getClaim('image-registry-storage'), { timeout: 30_000 }).toBeUndefined();
    await expect.poll(async () => (await getConfig(kc))?.status?.storage, { timeout: 30_000 }).toEqual({});
  });

  it('refuses a ReadWriteOnce claim for two replicas, and accepts it with one replica and Recreate', async () => {
    await applyYaml(kc, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'users-claim', namespace },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    } as never);
    await applyConfig(kc, { replicas: 2, storage: { pvc: { claim: 'users-claim' } } });
    await start();

    const problem = 'cannot use ReadWriteOnce access mode with more than one replica of the image registry';
    await expect
      .poll(() => storageConditions(kc), { timeout: 30_000 })
      .toEqual({
        StorageExists: { status: 'False', reason: 'PVC Issues Found', message: problem },
        StorageControllerDegraded: {
          status: 'True',
          reason: 'ProvisioningFailed',
          message: `Unable to provision PVC storage: ${problem}. Fix the storage or spec.storage; the operator tries again when either changes.`,
        },
      });

    await applyConfig(kc, {
      replicas: 1,
      rolloutStrategy: 'Recreate',
      storage: { pvc: { claim: 'users-claim' } },
    });
    await expect
      .poll(() => storageConditions(kc), { timeout: 30_000 })
      .toEqual({
        StorageExists: { status: 'True', reason: 'PVC Exists', message: 'PVC users-claim exists' },
        StorageControllerDegraded: { status: 'False', reason: 'AsExpected', message: '' },
      });
    expect((await getConfig(kc))?.spec?.storage?.managementState).toBe('Unmanaged');

    // An Unmanaged claim survives Removed.
    await patchConfig(kc, { spec: { managementState: 'Removed' } });
    await expect.poll(async () => (await getConfig(kc))?.status?.storage, { timeout: 30_000 }).toEqual({});
    expect(await getClaim('users-claim')).toBeDefined();
  });
});

describe('emptyDir and configuration errors', () => {
  it('publishes emptyDir at once and warns that its data is lost when pods restart', async () => {
    await applyConfig(kc, { storage: { emptyDir: {} } });
    await start();
    await expect
      .poll(() => storageConditions(kc), { timeout: 30_000 })
      .toEqual({
        StorageExists: { status: 'True', reason: 'Creation Successful', message: emptyDirMessage },
        StorageControllerDegraded: { status: 'False', reason: 'AsExpected', message: '' },
      });
    const config = await getConfig(kc);
    expect(config?.status?.storage).toEqual({ managementState: 'Managed', emptyDir: {} });
    expect(config?.status?.storageManaged).toBe(true);
  });

  it('says clearly that Swift is not supported yet', async () => {
    await applyConfig(kc, { storage: { swift: { container: 'c' } } });
    await start();
    await expect
      .poll(() => storageConditions(kc), { timeout: 30_000 })
      .toEqual({
        StorageControllerDegraded: {
          status: 'True',
          reason: 'UnsupportedStorage',
          message:
            'Swift storage (spec.storage.swift) is not supported by this operator yet: configure s3, gcs, azure, pvc or emptyDir instead',
        },
      });
  });

  it('completes an empty spec.storage with the platform default of Infrastructure/cluster', async () => {
    await applyYaml(kc, {
      apiVersion: 'config.openshift.io/v1',
      kind: 'Infrastructure',
      metadata: { name: 'cluster' },
      spec: {},
    } as never);
    await applyYaml(
      kc,
      {
        apiVersion: 'config.openshift.io/v1',
        kind: 'Infrastructure',
        metadata: { name: 'cluster' },
        status: {
          infrastructureName: 'iro-libvirt',
          platform: 'Libvirt',
          platformStatus: { type: 'Libvirt' },
        },
      } as never,
      { subresource: 'status' },
    );
    await applyConfig(kc, {});
    await start();
    await expect
      .poll(async () => (await getConfig(kc))?.spec?.storage, { timeout: 30_000 })
      .toEqual({ managementState: 'Managed', emptyDir: {} });
    await expect
      .poll(async () => (await getConfig(kc))?.status?.storage, { timeout: 30_000 })
      .toEqual({ managementState: 'Managed', emptyDir: {} });
  });

  it('reports a Managed registry without storage on a platform without a default', async () => {
    await applyConfig(kc, {});
    await start();
    await expect
      .poll(async () => (await storageConditions(kc))['StorageControllerDegraded'], { timeout: 30_000 })
      .toEqual({
        status: 'True',
        reason: 'StorageNotConfigured',
        message:
          'storage backend not configured: the None platform has no default storage; set spec.storage to one of s3, gcs, azure, pvc or emptyDir',
      });
    expect((await getConfig(kc))?.spec?.storage).toBeUndefined();
  });

  it('touches nothing while the registry is Unmanaged, and says so', async () => {
    await applyConfig(kc, { managementState: 'Unmanaged', storage: { pvc: {} } });
    await start();
    await expect
      .poll(() => storageConditions(kc), { timeout: 30_000 })
      .toEqual({
        StorageControllerDegraded: {
          status: 'False',
          reason: 'Unmanaged',
          message: 'The registry configuration is set to unmanaged mode',
        },
      });
    const config = await getConfig(kc);
    expect(config?.spec?.storage).toEqual({ pvc: {} });
    expect(config?.metadata?.finalizers ?? []).toEqual([]);
    expect(await getClaim('image-registry-storage')).toBeUndefined();
  });
});
