import { describe, expect, it } from 'vitest';
import { formatGoDuration, GoDurationError, parseGoDuration } from './go-duration.ts';

describe('Go durations', () => {
  it.each([
    ['60m', '1h0m0s'],
    ['1h', '1h0m0s'],
    ['90s', '1m30s'],
    ['1.5h', '1h30m0s'],
    ['10s', '10s'],
    ['1500ms', '1.5s'],
    ['500ms', '500ms'],
    ['0', '0s'],
    ['2h45m30.25s', '2h45m30.25s'],
    ['100us', '100µs'],
  ])('prints %s as Go does: %s', (input, printed) => {
    expect(formatGoDuration(parseGoDuration(input))).toBe(printed);
  });

  it('prints nanoseconds of the deprecated keepYoungerThan (10s as 10000000000)', () => {
    expect(formatGoDuration(10_000_000_000n)).toBe('10s');
  });

  it.each(['', 'abc', '10', '1x', 'h'])('rejects %j', (input) => {
    expect(() => parseGoDuration(input)).toThrow(GoDurationError);
  });
});
