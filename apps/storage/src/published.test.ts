import { describe, expect, it } from 'vitest';
import { backendOf, publishedStorage, storageIdentity } from './published.ts';

describe('published storage', () => {
  it('is the backend config with the management state', () => {
    expect(publishedStorage('s3', { bucket: 'b', region: 'us-east-1' }, 'Managed')).toEqual({
      managementState: 'Managed',
      s3: { bucket: 'b', region: 'us-east-1' },
    });
  });

  it('names the backend of a struct with exactly one', () => {
    expect(backendOf({ managementState: 'Managed', pvc: { claim: 'x' } })).toBe('pvc');
    expect(backendOf({})).toBeUndefined();
    expect(backendOf(undefined)).toBeUndefined();
  });

  it('identifies storage by backend and name, not by settings', () => {
    expect(storageIdentity({ s3: { bucket: 'a', keyID: 'k1' } })).toBe(
      storageIdentity({ managementState: 'Managed', s3: { bucket: 'a', keyID: 'k2' } }),
    );
    expect(storageIdentity({ s3: { bucket: 'a' } })).not.toBe(storageIdentity({ s3: { bucket: 'b' } }));
    expect(storageIdentity({ gcs: { bucket: 'a' } })).not.toBe(storageIdentity({ s3: { bucket: 'a' } }));
  });
});
