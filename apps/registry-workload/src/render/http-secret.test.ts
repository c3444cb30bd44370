import { describe, expect, it } from 'vitest';
import { generateHttpSecret } from './http-secret.ts';

describe('generateHttpSecret', () => {
  it('is 64 random bytes as 128 lower-case hex characters', () => {
    expect(generateHttpSecret()).toMatch(/^[0-9a-f]{128}$/);
    expect(generateHttpSecret((n) => new Uint8Array(n).fill(0xab))).toBe('ab'.repeat(64));
  });

  it('differs between calls', () => {
    expect(generateHttpSecret()).not.toBe(generateHttpSecret());
  });
});
