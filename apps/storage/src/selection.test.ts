import { describe, expect, it } from 'vitest';
import { selectBackend } from './selection.ts';

describe('selectBackend', () => {
  it('selects the one configured backend', () => {
    expect(selectBackend({ s3: {} })).toEqual({ kind: 'backend', backend: 's3' });
    expect(selectBackend({ managementState: 'Managed', emptyDir: {} })).toEqual({
      kind: 'backend',
      backend: 'emptyDir',
    });
  });

  it('reports no backend', () => {
    expect(selectBackend(undefined)).toEqual({ kind: 'none' });
    expect(selectBackend({ managementState: 'Managed' })).toEqual({ kind: 'none' });
  });

  it('lists several backends in upstream order', () => {
    expect(selectBackend({ pvc: {}, emptyDir: {}, s3: {} })).toEqual({
      kind: 'multiple',
      message: 'exactly one storage type should be configured at the same time, got 3: [EmptyDir S3 PVC]',
    });
  });

  it.each([
    ['swift', 'Swift storage (spec.storage.swift) is not supported by this operator yet'],
    ['ibmcos', 'IBMCOS storage (spec.storage.ibmcos) is not supported by this operator yet'],
    ['oss', 'OSS storage (spec.storage.oss) is not supported by this operator yet'],
  ])('says clearly that %s is not supported', (backend, message) => {
    const s = selectBackend({ [backend]: {} });
    expect(s.kind).toBe('unsupported');
    expect(s.kind === 'unsupported' && s.message).toContain(message);
  });

  it('does not support Azure private endpoints yet', () => {
    const s = selectBackend({ azure: { networkAccess: { type: 'Internal' } } });
    expect(s).toMatchObject({ kind: 'unsupported', backend: 'azure' });
  });
});
