import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unionConditions } from './union.ts';
import type { Condition, ConditionStatus } from './types.ts';

const c = (
  type: string,
  status: ConditionStatus,
  reason?: string,
  message?: string,
  at = '2024-05-01T10:00:00Z',
): Condition => ({
  type,
  status,
  lastTransitionTime: at,
  ...(reason === undefined ? {} : { reason }),
  ...(message === undefined ? {} : { message }),
});

describe('unionConditions (the registry operator union)', () => {
  it('is normal with reason AsExpected when nothing reports', () => {
    expect(unionConditions('Degraded', 'False', [])).toEqual({
      type: 'Degraded',
      status: 'False',
      reason: 'AsExpected',
      message: '',
    });
  });

  it('takes the status of the first abnormal input, ignoring later ones', () => {
    const inputs = [
      c('Available', 'True'),
      c('FooAvailable', 'False', 'Down'),
      c('BarAvailable', 'Unknown', 'Lost'),
    ];
    expect(unionConditions('Available', 'True', inputs).status).toBe('False');
  });

  it('is Unknown when no input is abnormal but one is Unknown', () => {
    const inputs = [c('Available', 'True'), c('FooAvailable', 'Unknown', 'Lost')];
    expect(unionConditions('Available', 'True', inputs)).toMatchObject({
      status: 'Unknown',
      reason: 'FooLost',
    });
  });

  it('prefixes each reason with the type before the aggregate name, with no separator, sorted', () => {
    const inputs = [
      c('StorageControllerDegraded', 'True', 'Error'),
      c('Degraded', 'True', 'Unavailable'),
      c('NodeCADaemonControllerDegraded', 'False', 'AsExpected'),
    ];
    expect(unionConditions('Degraded', 'False', inputs).reason).toBe('StorageControllerError::Unavailable');
  });

  it('leaves the reason empty when abnormal inputs give none', () => {
    expect(unionConditions('Degraded', 'False', [c('Degraded', 'True')]).reason).toBe('');
  });

  it('keeps every message line, including repeated ones, prefixed with its type', () => {
    const inputs = [c('Degraded', 'True', 'X', 'a\na'), c('FooDegraded', 'False', undefined, 'b')];
    expect(unionConditions('Degraded', 'False', inputs).message).toBe(
      'Degraded: a\nDegraded: a\nFooDegraded: b',
    );
  });

  it('reports the latest transition time among its inputs', () => {
    const inputs = [
      c('Available', 'True', undefined, undefined, '2024-05-01T10:00:00Z'),
      c('FooAvailable', 'True', undefined, undefined, '2024-06-01T10:00:00Z'),
    ];
    expect(unionConditions('Available', 'True', inputs).lastTransitionTime).toBe('2024-06-01T10:00:00Z');
  });
});

const statusArb = fc.constantFrom<ConditionStatus>('True', 'False', 'Unknown');
const conditionArb = fc.record({
  type: fc.constantFrom('Degraded', 'FooDegraded', 'BarControllerDegraded', 'Available', 'StorageExists'),
  status: statusArb,
  lastTransitionTime: fc.constant('2024-05-01T10:00:00Z'),
  reason: fc.constantFrom('', 'AsExpected', 'Error', 'SyncError'),
  message: fc.constantFrom('', 'x', 'two\nlines'),
});
const listArb = fc.uniqueArray(conditionArb, { selector: (x) => x.type, maxLength: 5 });

describe('unionConditions properties', () => {
  it('is normal exactly when every matching input is normal', () => {
    fc.assert(
      fc.property(listArb, (list) => {
        const matching = list.filter((x) => x.type.endsWith('Degraded'));
        const result = unionConditions('Degraded', 'False', list);
        expect(result.status === 'False').toBe(matching.every((x) => x.status === 'False'));
      }),
    );
  });

  it('ignores conditions whose type does not end with the aggregate name', () => {
    fc.assert(
      fc.property(listArb, (list) => {
        const onlyMatching = list.filter((x) => x.type.endsWith('Degraded'));
        expect(unionConditions('Degraded', 'False', list)).toEqual(
          unionConditions('Degraded', 'False', onlyMatching),
        );
      }),
    );
  });

  it('has a reason independent of input order and never empty when normal', () => {
    fc.assert(
      fc.property(listArb, (list) => {
        const a = unionConditions('Degraded', 'False', list);
        const b = unionConditions('Degraded', 'False', [...list].reverse());
        expect(a.reason).toBe(b.reason);
        if (a.status === 'False') expect(a.reason).not.toBe('');
      }),
    );
  });

  it('emits one message line per line of every matching message', () => {
    fc.assert(
      fc.property(listArb, (list) => {
        const lines = list
          .filter((x) => x.type.endsWith('Degraded') && x.message !== '')
          .flatMap((x) => x.message.split('\n'));
        const message = unionConditions('Degraded', 'False', list).message;
        expect(message === '' ? [] : message.split('\n')).toHaveLength(lines.length);
      }),
    );
  });
});
