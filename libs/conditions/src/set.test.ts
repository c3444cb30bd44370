import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCondition, isFalse, isTrue, isUnknown, removeCondition, setCondition } from './set.ts';
import { formatTime } from './time.ts';
import type { Condition, DesiredCondition } from './types.ts';

const t1 = new Date('2024-05-01T11:30:00.789Z');

const available: Condition = {
  type: 'Available',
  status: 'True',
  lastTransitionTime: '2024-05-01T10:00:00Z',
  reason: 'Ready',
  message: 'The registry is ready',
};

describe('setCondition', () => {
  it('appends a new condition stamped with now at whole-second precision', () => {
    const out = setCondition([], { type: 'Available', status: 'True', reason: 'Ready' }, t1);
    expect(out).toEqual([
      { type: 'Available', status: 'True', reason: 'Ready', lastTransitionTime: '2024-05-01T11:30:00Z' },
    ]);
  });

  it('keeps lastTransitionTime when the status is unchanged but replaces reason and message', () => {
    const out = setCondition(
      [available],
      { type: 'Available', status: 'True', reason: 'MinimumAvailability', message: 'm' },
      t1,
    );
    expect(out).toEqual([{ ...available, reason: 'MinimumAvailability', message: 'm' }]);
  });

  it('moves lastTransitionTime to now when the status changes', () => {
    const out = setCondition(
      [available],
      { type: 'Available', status: 'False', reason: 'NoReplicasAvailable' },
      t1,
    );
    expect(out[0]).toEqual({
      type: 'Available',
      status: 'False',
      reason: 'NoReplicasAvailable',
      lastTransitionTime: '2024-05-01T11:30:00Z',
    });
  });

  it('clears reason and message the next condition leaves out', () => {
    const out = setCondition([available], { type: 'Available', status: 'True' }, t1);
    expect(out[0]).toEqual({
      type: 'Available',
      status: 'True',
      lastTransitionTime: available.lastTransitionTime,
    });
  });

  it('replaces the condition in place and leaves the others alone', () => {
    const progressing: Condition = {
      type: 'Progressing',
      status: 'False',
      lastTransitionTime: '2024-01-01T00:00:00Z',
    };
    const out = setCondition([available, progressing], { type: 'Available', status: 'False' }, t1);
    expect(out.map((c) => c.type)).toEqual(['Available', 'Progressing']);
    expect(out[1]).toBe(progressing);
  });

  it('never mutates its input', () => {
    const input = [{ ...available }];
    const snapshot = structuredClone(input);
    setCondition(input, { type: 'Available', status: 'False', reason: 'X' }, t1);
    expect(input).toEqual(snapshot);
  });
});

describe('condition queries', () => {
  const list: Condition[] = [
    available,
    { type: 'Degraded', status: 'False', lastTransitionTime: '2024-05-01T10:00:00Z' },
  ];

  it('find a condition by type', () => {
    expect(findCondition(list, 'Available')).toBe(available);
    expect(findCondition(list, 'Removed')).toBeUndefined();
    expect(findCondition(undefined, 'Available')).toBeUndefined();
  });

  it('answer isTrue, isFalse and isUnknown, treating a missing condition as unknown', () => {
    expect([isTrue(list, 'Available'), isFalse(list, 'Available'), isUnknown(list, 'Available')]).toEqual([
      true,
      false,
      false,
    ]);
    expect([isTrue(list, 'Degraded'), isFalse(list, 'Degraded'), isUnknown(list, 'Degraded')]).toEqual([
      false,
      true,
      false,
    ]);
    expect([isTrue(list, 'Removed'), isFalse(list, 'Removed'), isUnknown(list, 'Removed')]).toEqual([
      false,
      false,
      true,
    ]);
  });

  it('removeCondition drops only that type', () => {
    expect(removeCondition(list, 'Available').map((c) => c.type)).toEqual(['Degraded']);
  });
});

const statusArb = fc.constantFrom('True' as const, 'False' as const, 'Unknown' as const);
const typeArb = fc.constantFrom(
  'Available',
  'Progressing',
  'Degraded',
  'Removed',
  'NodeCADaemonAvailable',
  'StorageExists',
);
const timeArb = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2100-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const desiredArb: fc.Arbitrary<DesiredCondition> = fc.record(
  { type: typeArb, status: statusArb, reason: fc.string(), message: fc.string() },
  { requiredKeys: ['type', 'status'] },
);
const listArb: fc.Arbitrary<Condition[]> = fc
  .uniqueArray(fc.tuple(desiredArb, timeArb), { selector: ([d]) => d.type, maxLength: 6 })
  .map((items) => items.map(([d, t]) => ({ ...d, lastTransitionTime: formatTime(t) })));

describe('setCondition properties', () => {
  it('leaves exactly one condition of the type, carrying the next reason and message', () => {
    fc.assert(
      fc.property(listArb, desiredArb, timeArb, (list, next, now) => {
        const out = setCondition(list, next, now);
        const matches = out.filter((c) => c.type === next.type);
        expect(matches).toHaveLength(1);
        expect(matches[0]?.status).toBe(next.status);
        expect(matches[0]?.reason).toBe(next.reason);
        expect(matches[0]?.message).toBe(next.message);
      }),
    );
  });

  it('changes lastTransitionTime exactly when the condition is new or its status changes', () => {
    fc.assert(
      fc.property(listArb, desiredArb, timeArb, (list, next, now) => {
        const before = findCondition(list, next.type);
        const after = findCondition(setCondition(list, next, now), next.type);
        const transitioned = before === undefined || before.status !== next.status;
        expect(after?.lastTransitionTime).toBe(transitioned ? formatTime(now) : before.lastTransitionTime);
      }),
    );
  });

  it('keeps every other condition identical and in order', () => {
    fc.assert(
      fc.property(listArb, desiredArb, timeArb, (list, next, now) => {
        const others = (l: Condition[]) => l.filter((c) => c.type !== next.type);
        expect(others(setCondition(list, next, now))).toEqual(others(list));
      }),
    );
  });

  it('is idempotent: setting the same condition again later changes nothing', () => {
    fc.assert(
      fc.property(listArb, desiredArb, timeArb, timeArb, (list, next, now, later) => {
        const once = setCondition(list, next, now);
        expect(setCondition(once, next, later)).toEqual(once);
      }),
    );
  });
});
