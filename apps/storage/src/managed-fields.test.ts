import { describe, expect, it } from 'vitest';
import { fieldOwners, otherOwners } from './managed-fields.ts';

const entries = [
  {
    manager: 'image-registry-operator/storage',
    operation: 'Apply',
    fieldsV1: { 'f:spec': { 'f:storage': { 'f:managementState': {}, 'f:s3': { 'f:bucket': {} } } } },
  },
  {
    manager: 'kubectl-patch',
    operation: 'Update',
    fieldsV1: { 'f:spec': { 'f:storage': { 'f:managementState': {} } } },
  },
  {
    manager: 'image-registry-operator/storage',
    operation: 'Apply',
    subresource: 'status',
    fieldsV1: { 'f:spec': { 'f:storage': { 'f:s3': { 'f:region': {} } } } },
  },
];

describe('managed fields', () => {
  it('lists the managers of a field of the main resource only', () => {
    expect(fieldOwners(entries, ['spec', 'storage', 'managementState'])).toEqual([
      'image-registry-operator/storage',
      'kubectl-patch',
    ]);
    expect(fieldOwners(entries, ['spec', 'storage', 's3', 'bucket'])).toEqual([
      'image-registry-operator/storage',
    ]);
    expect(fieldOwners(entries, ['spec', 'storage', 's3', 'region'])).toEqual([]);
  });

  it('tells a value another manager set from one only this app set', () => {
    expect(
      otherOwners(entries, 'image-registry-operator/storage', ['spec', 'storage', 'managementState']),
    ).toEqual(['kubectl-patch']);
    expect(
      otherOwners(entries, 'image-registry-operator/storage', ['spec', 'storage', 's3', 'bucket']),
    ).toEqual([]);
    expect(otherOwners(undefined, 'x', ['spec'])).toEqual([]);
  });
});
