import { platformDefaultStorage, platformDefaults, platformsWithDefaults } from '@image-registry/api';
import { describe, expect, it } from 'vitest';
import { needsPlatformDefault, planBackend, planManagementState, requeueAfter } from './storage.plan.ts';
import type { StorageSpec } from './storage-types.ts';

const defaultOf = (p: string) => platformDefaultStorage(p) as StorageSpec | undefined;

describe('planBackend', () => {
  it.each([...platformsWithDefaults, 'Libvirt'])(
    'on %s provisions what bootstrap writes, or says there is nothing to provision',
    (platform) => {
      // What registry-workload's bootstrap writes into spec.storage (libs/api's table).
      const bootstrapped = platformDefaults(platform).storage as StorageSpec;
      const plan = planBackend(bootstrapped, platform, defaultOf(platform));
      const fromEmpty = planBackend({}, platform, defaultOf(platform));
      expect(fromEmpty).toEqual(plan);
      if (!defaultOf(platform)) {
        expect(plan).toMatchObject({
          kind: 'failure',
          failure: { reason: 'StorageNotConfigured', terminal: true },
        });
      } else if (bootstrapped.ibmcos) {
        // No IBM COS driver yet: said plainly, never guessed.
        expect(plan).toMatchObject({ kind: 'failure', failure: { reason: 'UnsupportedStorage' } });
      } else {
        expect(plan).toMatchObject({ kind: 'backend', storage: bootstrapped });
      }
    },
  );

  it('keeps the spec when it names a backend, and refuses two', () => {
    expect(needsPlatformDefault({ s3: {} })).toBe(false);
    expect(planBackend({ gcs: {} }, 'AWS', { s3: {} })).toMatchObject({ kind: 'backend', backend: 'gcs' });
    expect(planBackend({ gcs: {}, s3: {} }, 'AWS', { s3: {} })).toMatchObject({
      kind: 'failure',
      failure: { reason: 'InvalidStorageConfiguration' },
    });
  });
});

describe('planManagementState', () => {
  const base = {
    storage: {},
    backend: 's3' as const,
    completion: { config: { bucket: 'b' }, generatedName: false },
    published: {},
    managedFields: [],
    fieldManager: 'image-registry-operator/storage',
  };

  it('leaves an existing bucket the user named Unmanaged, and one it is about to create Managed', () => {
    expect(planManagementState({ ...base, exists: true })).toBe('Unmanaged');
    expect(planManagementState({ ...base, exists: false })).toBe('Managed');
  });

  it('keeps a management state the admin set', () => {
    const managedFields = [
      {
        manager: 'kubectl',
        operation: 'Apply',
        fieldsV1: { 'f:spec': { 'f:storage': { 'f:managementState': {} } } },
      },
    ];
    expect(
      planManagementState({ ...base, storage: { managementState: 'Managed' }, managedFields, exists: true }),
    ).toBe('Managed');
  });
});

describe('requeueAfter', () => {
  it('looks again within a minute while a setting is unsettled, except what the endpoint cannot do', () => {
    expect(requeueAfter([{ status: 'True', reason: 'x' }], 600_000)).toBe(600_000);
    expect(requeueAfter([{ status: 'False', reason: 'AccessDenied' }], 600_000)).toBe(60_000);
    expect(requeueAfter([{ status: 'False', reason: 'NotSupportedByEndpoint' }], 600_000)).toBe(600_000);
  });
});
