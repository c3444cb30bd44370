import { describe, expect, it } from 'vitest';
import { newest } from './newest.ts';

const obj = (uid: string, resourceVersion: string) => ({
  metadata: { name: 'image-registry', uid, resourceVersion },
});

describe('newest', () => {
  it('prefers our own write while the cache has not seen it', () => {
    const written = obj('a', '120');
    expect(newest(obj('a', '99'), written)).toBe(written);
  });

  it('prefers the cache once it has caught up or moved past our write', () => {
    const cached = obj('a', '121');
    expect(newest(cached, obj('a', '120'))).toBe(cached);
    const same = obj('a', '120');
    expect(newest(same, obj('a', '120'))).toBe(same);
  });

  it('trusts the cache when the object was deleted or re-created since we wrote it', () => {
    expect(newest(undefined, obj('a', '120'))).toBeUndefined();
    const recreated = obj('b', '5');
    expect(newest(recreated, obj('a', '120'))).toBe(recreated);
  });

  it('trusts the cache when a resourceVersion is not an integer', () => {
    const cached = obj('a', 'x1');
    expect(newest(cached, obj('a', '120'))).toBe(cached);
  });
});
