import { describe, expect, it } from 'vitest';
import { formatTime } from './time.ts';

describe('formatTime', () => {
  it('writes RFC 3339 UTC with whole seconds, like metav1.Time', () => {
    expect(formatTime(new Date('2024-05-01T10:00:00.999Z'))).toBe('2024-05-01T10:00:00Z');
  });

  it('refuses an invalid date instead of writing "Invalid Date" into an object', () => {
    expect(() => formatTime(new Date(Number.NaN))).toThrow(/valid Date/);
  });
});
