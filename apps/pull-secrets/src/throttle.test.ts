import { describe, expect, it } from 'vitest';
import { TokenBucket } from './throttle.ts';
import { WrittenObjects } from './written.ts';
import { Failures } from './failures.ts';

describe('TokenBucket', () => {
  it('lets a burst through, then spaces requests at the rate', () => {
    let t = 0;
    const b = new TokenBucket({ qps: 10, burst: 2 }, () => t);
    expect([b.reserve(), b.reserve()]).toEqual([0, 0]);
    expect(b.reserve()).toBeCloseTo(100);
    t = 1000;
    expect(b.reserve()).toBe(0);
    expect(new TokenBucket({ qps: 0, burst: 1 }).reserve()).toBe(0);
  });
});

describe('WrittenObjects', () => {
  const obj = (rv: string, uid = 'u') => ({ metadata: { name: 'a', namespace: 'n', uid, resourceVersion: rv } });
  it('prefers our newer write until the cache catches up', () => {
    const w = new WrittenObjects();
    w.remember(obj('10'));
    expect(w.newest({ namespace: 'n', name: 'a' }, obj('9'))?.metadata?.resourceVersion).toBe('10');
    expect(w.newest({ namespace: 'n', name: 'a' }, obj('11'))?.metadata?.resourceVersion).toBe('11');
    expect(w.size).toBe(0);
  });
  it('counts a fresh create the cache has not shown yet, for a while', () => {
    let t = 0;
    const w = new WrittenObjects({ now: () => t, unseenTtlMs: 1000 });
    w.remember(obj('10'));
    expect(w.newest({ namespace: 'n', name: 'a' }, undefined)?.metadata?.resourceVersion).toBe('10');
    t = 1000;
    expect(w.newest({ namespace: 'n', name: 'a' }, undefined)).toBeUndefined();
  });
  it('trusts the cache for a recreated object', () => {
    const w = new WrittenObjects();
    w.remember(obj('10'));
    expect(w.newest({ namespace: 'n', name: 'a' }, obj('5', 'other'))?.metadata?.uid).toBe('other');
  });
});

describe('Failures', () => {
  it('reports failures that lasted, keeps the first time, clears on success', () => {
    let changes = 0;
    const f = new Failures(() => changes++);
    f.fail('a', 'boom', 0);
    f.fail('a', 'boom', 50);
    expect(f.lasting(60, 60)).toEqual([{ key: 'a', message: 'boom', sinceMs: 0 }]);
    expect(f.lasting(30, 60)).toEqual([]);
    f.clear('a');
    expect(f.size).toBe(0);
    expect(changes).toBe(2);
  });
});
