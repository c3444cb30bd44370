import { describe, expect, it } from 'vitest';
import { configSpecApply, configStatusApply, specFieldsToApply } from './config-apply.ts';

describe('specFieldsToApply', () => {
  it('writes what it filled in and what it wrote before, never a value the admin set', () => {
    const current = {
      regionEndpoint: 'http://minio:9000',
      region: 'us-east-1',
      bucket: 'generated',
      keyID: 'k',
    };
    const completed = { ...current, encrypt: true };
    expect(specFieldsToApply(current, completed, new Set(['bucket']))).toEqual({
      bucket: 'generated',
      encrypt: true,
    });
  });

  it('writes everything when the spec named only the backend', () => {
    expect(specFieldsToApply(undefined, { bucket: 'b', region: 'r' }, new Set())).toEqual({
      bucket: 'b',
      region: 'r',
    });
  });
});

describe('configSpecApply', () => {
  it('carries the finalizer, the uid precondition, the management state and the backend fields', () => {
    expect(configSpecApply('uid-1', 's3', { bucket: 'b' }, 'Managed')).toEqual({
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: {
        name: 'cluster',
        uid: 'uid-1',
        finalizers: ['imageregistry.operator.openshift.io/finalizer'],
      },
      spec: { storage: { managementState: 'Managed', s3: { bucket: 'b' } } },
    });
  });
});

describe('configStatusApply', () => {
  const now = new Date('2026-01-02T03:04:05Z');

  it('publishes status.storage, storageManaged and the conditions, keeping unchanged transition times', () => {
    const body = configStatusApply({
      current: [
        {
          type: 'StorageExists',
          status: 'True',
          reason: 'Old',
          message: '',
          lastTransitionTime: '2025-01-01T00:00:00Z',
        },
      ],
      conditions: [
        { type: 'StorageExists', status: 'True', reason: 'S3 Bucket Exists', message: 'm' },
        { type: 'StorageControllerDegraded', status: 'False', reason: 'AsExpected', message: '' },
      ],
      storage: { managementState: 'Unmanaged', s3: { bucket: 'b' } },
      now,
    });
    expect(body.status).toEqual({
      conditions: [
        {
          type: 'StorageExists',
          status: 'True',
          reason: 'S3 Bucket Exists',
          message: 'm',
          lastTransitionTime: '2025-01-01T00:00:00Z',
        },
        {
          type: 'StorageControllerDegraded',
          status: 'False',
          reason: 'AsExpected',
          message: '',
          lastTransitionTime: '2026-01-02T03:04:05Z',
        },
      ],
      storage: { managementState: 'Unmanaged', s3: { bucket: 'b' } },
      storageManaged: false,
    });
  });

  it('refuses a condition type another app owns', () => {
    expect(() =>
      configStatusApply({
        current: [],
        conditions: [{ type: 'Available', status: 'True' }],
        storage: {},
        now,
      }),
    ).toThrow(/not one of this app's types/);
  });
});
