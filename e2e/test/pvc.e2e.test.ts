// pvc_test.go: hostPath PersistentVolumes for the claims to bind to (one without a class and one per
// StorageClass, as upstream), then the operator's claim or the user's RWX or RWO claim.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { kubeRequest } from '@image-registry/testing';
import {
  deploymentPath,
  ensureAvailable,
  ensureClusterOperatorNormal,
  ensureInternalRegistryHostnameIsSet,
  ensureNotHotLooping,
  freshConfig,
  get,
  kc,
  namespace,
  teardown,
  timeout,
} from '../src/helpers.ts';

const pvPath = (name: string) => `/api/v1/persistentvolumes/${name}`;
const claimPath = (name = '') => `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${name}`;

/** A 100Gi hostPath volume of `storageClassName`, deleted after the test; waits until it is no longer Pending. */
async function createPV(storageClassName: string): Promise<void> {
  const name = `pv-${randomBytes(8).toString('hex')}`;
  await kubeRequest(kc, 'POST', '/api/v1/persistentvolumes', {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      capacity: { storage: '100Gi' },
      accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany'],
      hostPath: { path: `/tmp/${name}` },
      storageClassName,
    },
  });
  onTestFinished(() => kubeRequest(kc, 'DELETE', pvPath(name)).then(() => undefined));
  await expect
    .poll(
      async () => (await get<{ status?: { phase?: string } }>(pvPath(name)))?.status?.phase ?? 'Pending',
      {
        timeout,
      },
    )
    .not.toBe('Pending');
}

async function createPVWithStorageClass(): Promise<void> {
  const classes = await kubeRequest<{ items: { metadata: { name: string } }[] }>(
    kc,
    'GET',
    '/apis/storage.k8s.io/v1/storageclasses',
  );
  for (const sc of classes.items) await createPV(sc.metadata.name);
}

/** The user's 1Gi claim, deleted after the test (the operator never deletes a claim it did not create). */
async function createPVC(name: string, accessMode: string): Promise<void> {
  await kubeRequest(kc, 'POST', claimPath(), {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace },
    spec: { accessModes: [accessMode], resources: { requests: { storage: '1Gi' } } },
  });
  onTestFinished(async () => {
    expect(await get(claimPath(name))).toBeDefined();
    await kubeRequest(kc, 'DELETE', claimPath(name));
  });
}

async function checkTestResult(): Promise<void> {
  await ensureAvailable();
  await ensureInternalRegistryHostnameIsSet();
  await ensureClusterOperatorNormal();
  await ensureNotHotLooping();
  const deployment = await get<{ status?: { availableReplicas?: number } }>(deploymentPath());
  expect(deployment?.status?.availableReplicas ?? 0).toBeGreaterThan(0);
}

describe('PVC', () => {
  afterEach(teardown);

  it('TestDefaultPVC', async () => {
    await createPV('');
    await createPVWithStorageClass();
    await freshConfig({ storage: { pvc: {} }, replicas: 1 });
    await checkTestResult();
    // The operator's claim, bound to one of the volumes.
    expect(
      (await get<{ status?: { phase?: string } }>(claimPath('image-registry-storage')))?.status?.phase,
    ).toBe('Bound');
  });

  it('TestCustomRWXPVC', async () => {
    const claimName = `test-custom-rwx-${randomBytes(8).toString('hex')}`;
    await createPV('');
    await createPVWithStorageClass();
    await createPVC(claimName, 'ReadWriteMany');
    await freshConfig({ storage: { pvc: { claim: claimName } }, replicas: 1 });
    await checkTestResult();
  });

  it('TestCustomRWOPVC', async () => {
    const claimName = `test-custom-rwo-${randomBytes(8).toString('hex')}`;
    await createPV('');
    await createPVWithStorageClass();
    await createPVC(claimName, 'ReadWriteOnce');
    await freshConfig({ storage: { pvc: { claim: claimName } }, replicas: 1, rolloutStrategy: 'Recreate' });
    await checkTestResult();
  });
});
