import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { libraryGoUnionConditions, newInertia } from './library-go-union.ts';
import type { Condition, ConditionStatus } from './types.ts';

const now = new Date('2024-05-01T12:00:00Z');
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

describe('libraryGoUnionConditions', () => {
  it('is Unknown/NoData without any matching input', () => {
    expect(libraryGoUnionConditions('Degraded', 'False', [c('Available', 'True')])).toEqual({
      type: 'Degraded',
      status: 'Unknown',
      reason: 'NoData',
      message: '',
    });
  });

  it('says "All is well" when every input is healthy and silent', () => {
    expect(
      libraryGoUnionConditions('Degraded', 'False', [c('FooDegraded', 'False', 'AsExpected')]),
    ).toMatchObject({
      status: 'False',
      reason: 'AsExpected',
      message: 'All is well',
    });
  });

  it('joins bad reasons as Prefix_Reason, sorted, with a bare prefix when the reason is empty', () => {
    const inputs = [
      c('StorageDegraded', 'True', 'Error'),
      c('FooControllerDegraded', 'True', 'SyncError'),
      c('BarDegraded', 'True'),
    ];
    expect(libraryGoUnionConditions('Degraded', 'False', inputs).reason).toBe(
      'Bar::FooController_SyncError::Storage_Error',
    );
  });

  it('gives a bare Degraded condition with reason X the reason _X', () => {
    expect(libraryGoUnionConditions('Degraded', 'False', [c('Degraded', 'True', 'X')]).reason).toBe('_X');
  });

  it('reports the opposite status when any bad input has it, else Unknown', () => {
    expect(
      libraryGoUnionConditions('Available', 'True', [c('AAvailable', 'Unknown'), c('BAvailable', 'False')])
        .status,
    ).toBe('False');
    expect(
      libraryGoUnionConditions('Available', 'True', [c('AAvailable', 'Unknown'), c('BAvailable', 'True')])
        .status,
    ).toBe('Unknown');
  });

  it('lists bad messages in type order and drops repeated lines within one message', () => {
    const inputs = [
      c('ZDegraded', 'True', 'E', 'z'),
      c(
        'NodeCADaemonControllerDegraded',
        'True',
        'Error',
        'failed to apply daemonset\nfailed to apply daemonset',
      ),
    ];
    expect(libraryGoUnionConditions('Degraded', 'False', inputs).message).toBe(
      'NodeCADaemonControllerDegraded: failed to apply daemonset\nZDegraded: z',
    );
  });

  describe('with inertia', () => {
    const inertia = newInertia(2 * 60_000);

    it('stays healthy while the bad condition is younger than its inertia, already showing its message', () => {
      const young = c('FooDegraded', 'True', 'SyncError', 'boom', '2024-05-01T11:59:30Z');
      expect(libraryGoUnionConditions('Degraded', 'False', [young], { inertia, now })).toMatchObject({
        status: 'False',
        reason: 'AsExpected',
        message: 'FooDegraded: boom',
      });
    });

    it('turns bad once the condition is older than its inertia', () => {
      const old = c('FooDegraded', 'True', 'SyncError', 'boom', '2024-05-01T11:57:59Z');
      expect(libraryGoUnionConditions('Degraded', 'False', [old], { inertia, now })).toMatchObject({
        status: 'True',
        reason: 'Foo_SyncError',
      });
    });

    it('uses the first rule whose pattern matches the type', () => {
      const rules = newInertia(60_000, [
        { match: /^Storage/, durationMs: 10 * 60_000 },
        { match: /Degraded$/, durationMs: 0 },
      ]);
      expect(rules(c('StorageDegraded', 'True'))).toBe(10 * 60_000);
      expect(rules(c('FooDegraded', 'True'))).toBe(0);
      expect(rules(c('Other', 'True'))).toBe(60_000);
    });

    it('rejects a rule without a pattern', () => {
      expect(() => newInertia(0, [{ match: undefined as unknown as RegExp, durationMs: 1 }])).toThrow(
        /RegExp/,
      );
    });
  });
});

const conditionArb = fc.record({
  type: fc.constantFrom('Degraded', 'FooDegraded', 'BarControllerDegraded', 'Available'),
  status: fc.constantFrom<ConditionStatus>('True', 'False', 'Unknown'),
  lastTransitionTime: fc
    .date({ min: new Date('2024-01-01T00:00:00Z'), max: now, noInvalidDate: true })
    .map((d) => d.toISOString()),
  reason: fc.constantFrom('', 'Error'),
  message: fc.constantFrom('', 'x'),
});
const listArb = fc.uniqueArray(conditionArb, { selector: (x) => x.type, maxLength: 4 });

describe('libraryGoUnionConditions properties', () => {
  it('with zero inertia equals no inertia for conditions in the past', () => {
    fc.assert(
      fc.property(listArb, (list) => {
        const past = list.filter((x) => Date.parse(x.lastTransitionTime) < now.getTime());
        expect(libraryGoUnionConditions('Degraded', 'False', past, { inertia: () => 0, now })).toEqual(
          libraryGoUnionConditions('Degraded', 'False', past),
        );
      }),
    );
  });

  it('with unbounded inertia never leaves the default status when there is data', () => {
    fc.assert(
      fc.property(listArb, (list) => {
        const result = libraryGoUnionConditions('Degraded', 'False', list, {
          inertia: () => Number.POSITIVE_INFINITY,
          now,
        });
        const hasData = list.some((x) => x.type.endsWith('Degraded'));
        expect(result.status).toBe(hasData ? 'False' : 'Unknown');
      }),
    );
  });
});
