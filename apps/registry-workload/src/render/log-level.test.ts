import { describe, expect, it } from 'vitest';
import { registryLogLevel } from './log-level.ts';

describe('registryLogLevel', () => {
  it.each([
    ['Normal', 0, 'info'],
    [undefined, undefined, 'info'],
    ['Debug', 0, 'debug'],
    ['Trace', 1, 'debug'],
    ['TraceAll', 0, 'debug'],
    ['Normal', 1, 'warn'],
    ['Normal', 2, 'info'],
    ['Normal', 3, 'info'],
    ['Normal', 4, 'debug'],
  ])('logLevel %s with logging %s gives %s', (logLevel, logging, expected) => {
    expect(registryLogLevel(logLevel, logging)).toBe(expected);
  });
});
