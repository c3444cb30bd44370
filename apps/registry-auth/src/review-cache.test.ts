import { describe, expect, it } from 'vitest';
import { ReviewCache } from './review-cache.ts';

function clock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('ReviewCache', () => {
  it('keeps an answer for its TTL, then asks again', async () => {
    const c = clock();
    const cache = new ReviewCache<string>({ maxEntries: 10, clock: c });
    let calls = 0;
    const load = async () => `v${++calls}`;
    expect(await cache.get('k', load, () => 100)).toEqual({ value: 'v1', hit: false });
    c.advance(99);
    expect(await cache.get('k', load, () => 100)).toEqual({ value: 'v1', hit: true });
    c.advance(1);
    expect(await cache.get('k', load, () => 100)).toEqual({ value: 'v2', hit: false });
  });

  it('sends one load for concurrent callers of a key', async () => {
    const cache = new ReviewCache<number>({ maxEntries: 10, clock: clock() });
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const load = async () => {
      calls++;
      await gate;
      return 7;
    };
    const all = Promise.all([1, 2, 3].map(() => cache.get('k', load, () => 100)));
    release();
    const results = await all;
    expect(calls).toBe(1);
    expect(results.map((r) => r.value)).toEqual([7, 7, 7]);
  });

  it('does not keep failures', async () => {
    const cache = new ReviewCache<number>({ maxEntries: 10, clock: clock() });
    await expect(cache.get('k', () => Promise.reject(new Error('down')), () => 100)).rejects.toThrow('down');
    expect(await cache.get('k', async () => 1, () => 100)).toEqual({ value: 1, hit: false });
  });

  it('holds at most maxEntries, dropping the least recently used', async () => {
    const cache = new ReviewCache<string>({ maxEntries: 2, clock: clock() });
    await cache.get('a', async () => 'a', () => 100);
    await cache.get('b', async () => 'b', () => 100);
    expect(cache.peek('a')).toBe('a'); // a is now the most recent
    await cache.get('c', async () => 'c', () => 100);
    expect(cache.size).toBe(2);
    expect(cache.peek('b')).toBeUndefined();
    expect(cache.peek('a')).toBe('a');
  });

  it('keeps nothing for a TTL of 0', async () => {
    const cache = new ReviewCache<string>({ maxEntries: 2, clock: clock() });
    await cache.get('a', async () => 'a', () => 0);
    expect(cache.size).toBe(0);
  });
});
