import { describe, expect, it } from 'vitest';
import { OwnWrites, newest } from './own-writes.ts';

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

describe('OwnWrites', () => {
  const key = { name: 'image-registry' };

  it('reads our write until the cache catches up, then the cache, and forgets the write', () => {
    const writes = new OwnWrites();
    const mine = writes.remember(obj('a', '120'));
    expect(writes.current(key, obj('a', '99'))).toBe(mine);
    const caught = obj('a', '120');
    expect(writes.current(key, caught)).toBe(caught);
    // forgotten: an older cache is the truth again (our write was superseded and rolled back by others)
    const older = obj('a', '99');
    expect(writes.current(key, older)).toBe(older);
  });

  it('lets a newer foreign write win, so drift made after ours is repaired', () => {
    const writes = new OwnWrites();
    writes.remember(obj('a', '120'));
    const foreign = obj('a', '130');
    expect(writes.current(key, foreign)).toBe(foreign);
  });

  it('keys by namespace and name, and forgets on request', () => {
    const writes = new OwnWrites();
    const mine = writes.remember({ metadata: { name: 'x', namespace: 'ns', uid: 'a', resourceVersion: '9' } });
    expect(writes.current({ namespace: 'other', name: 'x' }, undefined)).toBeUndefined();
    expect(writes.current({ namespace: 'ns', name: 'x' }, { metadata: { name: 'x', namespace: 'ns', uid: 'a', resourceVersion: '3' } })).toBe(mine);
    writes.forget({ namespace: 'ns', name: 'x' });
    const cached = { metadata: { name: 'x', namespace: 'ns', uid: 'a', resourceVersion: '3' } };
    expect(writes.current({ namespace: 'ns', name: 'x' }, cached)).toBe(cached);
  });
});
