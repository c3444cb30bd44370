import { describe, expect, it } from 'vitest';
import { parseGcOutput, unreachableStorage } from './gc.ts';

describe('garbage collection helpers', () => {
  it("reads the blobs garbage-collect removed from the registry's output", () => {
    const out = [
      'team/app',
      'team/app: marking manifest sha256:aaa',
      '3 blobs marked, 2 blobs and 0 manifests eligible for deletion',
      'blob eligible for deletion: sha256:111',
      'time="2026-01-01T00:00:00Z" level=info msg="Deleting blob: /docker/registry/v2/blobs/sha256/11/111"',
      'blob eligible for deletion: sha256:222',
    ].join('\n');
    expect([...parseGcOutput(out).blobs]).toEqual(['sha256:111', 'sha256:222']);
  });

  it('skips emptyDir storage, which only the registry pods reach', () => {
    expect(unreachableStorage({ emptyDir: {} })).toMatch(/emptyDir volumes inside its pods/);
    expect(unreachableStorage({ s3: { bucket: 'b' } })).toBeUndefined();
    expect(unreachableStorage({ pvc: { claim: 'image-registry-storage' } })).toBeUndefined();
  });
});
