import { describe, expect, it } from 'vitest';
import { operatorLogLevelOf, processLogLevel } from './operator-log-level.ts';
import { logLevels } from './schema/operator.ts';

describe('spec.operatorLogLevel as the apps log level', () => {
  it('maps every API value to a pino level, Normal and unset to info', () => {
    expect(Object.fromEntries(logLevels.map((l) => [l, processLogLevel(l)]))).toEqual({
      '': 'info',
      Normal: 'info',
      Debug: 'debug',
      Trace: 'trace',
      TraceAll: 'trace',
    });
    expect(processLogLevel(undefined)).toBe('info');
  });

  it('reads the field from a raw Config and ignores what the API would refuse', () => {
    expect(operatorLogLevelOf({ spec: { operatorLogLevel: 'Debug' } })).toBe('Debug');
    expect(operatorLogLevelOf({ spec: { operatorLogLevel: 'Loud' } })).toBeUndefined();
    expect(operatorLogLevelOf({ spec: {} })).toBeUndefined();
    expect(operatorLogLevelOf(undefined)).toBeUndefined();
  });
});
