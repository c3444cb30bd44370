import { describe, expect, it } from 'vitest';
import { fnv32a, newPullSecretName, pullSecretPrefix } from './names.ts';

describe('pull secret names', () => {
  it('is <sa>-dockercfg- plus five random characters', () => {
    expect(newPullSecretName('builder', () => 0)).toBe('builder-dockercfg-bbbbb');
    expect(newPullSecretName('builder')).toMatch(/^builder-dockercfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
  it('truncates long names with an FNV-32a hash, as library-go naming.GetName does', () => {
    const long = 'a'.repeat(100);
    const prefix = pullSecretPrefix(long);
    expect(prefix).toBe(`${'a'.repeat(38)}-${fnv32a(long)}-dockercfg-`);
    expect(prefix).toHaveLength(58);
    expect(newPullSecretName(long).length).toBe(63);
    expect(pullSecretPrefix('a'.repeat(47))).toBe(`${'a'.repeat(47)}-dockercfg-`);
  });
  it('hashes like Go hash/fnv New32a', () => {
    expect(fnv32a('')).toBe('811c9dc5');
    expect(fnv32a('a')).toBe('e40c292c');
    expect(fnv32a('foobar')).toBe('bf9cf968');
  });
});
