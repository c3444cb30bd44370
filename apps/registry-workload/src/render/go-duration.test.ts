import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from './errors.ts';
import { formatGoDuration, normalizeDuration, parseGoDuration } from './go-duration.ts';

describe('Go durations', () => {
  it.each([
    ['0', '0s'],
    ['3s', '3s'],
    ['6h', '6h0m0s'],
    ['90s', '1m30s'],
    ['5m', '5m0s'],
    ['1h', '1h0m0s'],
    ['1.5s', '1.5s'],
    ['500ms', '500ms'],
    ['1.5ms', '1.5ms'],
    ['1500us', '1.5ms'],
    ['2µs', '2µs'],
    ['7ns', '7ns'],
    ['1h30m45.5s', '1h30m45.5s'],
    ['-2m', '-2m0s'],
    ['.5s', '500ms'],
    ['1.s', '1s'],
  ])('prints %s as Go does: %s', (input, expected) => {
    expect(formatGoDuration(parseGoDuration(input) ?? -1n)).toBe(expected);
  });

  it.each(['', '3', 'abc', '1d', '1 s', '.s', '3s5'])('rejects %j like time.ParseDuration', (input) => {
    expect(parseGoDuration(input)).toBeUndefined();
  });

  it('treats an unset wait as 0s and names the field of an invalid one', () => {
    expect(normalizeDuration('spec.requests.read.maxWaitInQueue', undefined)).toBe('0s');
    expect(() => normalizeDuration('spec.requests.read.maxWaitInQueue', '1d')).toThrow(InvalidConfigError);
    expect(() => normalizeDuration('spec.requests.read.maxWaitInQueue', '1d')).toThrow(/spec\.requests\.read\.maxWaitInQueue/);
  });
});
