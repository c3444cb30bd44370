import { describe, expect, it } from 'vitest';
import { configStatusApply } from './config-status.ts';
import { ConditionsApplyError } from '@image-registry/conditions';

const now = new Date('2025-02-01T10:00:00Z');
const ready = {
  conditions: [
    { type: 'Available', status: 'True' as const, reason: 'Ready', message: 'The registry is ready' },
    { type: 'Progressing', status: 'False' as const, reason: 'Ready', message: 'The registry is ready' },
    { type: 'Degraded', status: 'False' as const },
    { type: 'Removed', status: 'False' as const },
  ],
  readyReplicas: 2,
};

describe('configStatusApply', () => {
  it('applies only this app’s conditions, readyReplicas and the acted-on generation', () => {
    const body = configStatusApply({ metadata: { generation: 7 }, status: { observedGeneration: 6 } }, ready, true, now) as unknown as {
      metadata: { name: string };
      status: { conditions: { type: string; lastTransitionTime: string }[]; readyReplicas: number; observedGeneration: number };
    };
    expect(body.metadata).toEqual({ name: 'cluster' });
    expect(body.status.conditions.map((c) => c.type)).toEqual(['Available', 'Progressing', 'Degraded', 'Removed']);
    expect(body.status.conditions.every((c) => c.lastTransitionTime === '2025-02-01T10:00:00Z')).toBe(true);
    expect(body.status.readyReplicas).toBe(2);
    expect(body.status.observedGeneration).toBe(7);
  });

  it('keeps the previous observedGeneration when the pass did not act, and unchanged transition times', () => {
    const current = {
      metadata: { generation: 7 },
      status: {
        observedGeneration: 6,
        conditions: [{ type: 'Available', status: 'True' as const, reason: 'Ready', lastTransitionTime: '2025-01-01T00:00:00Z' }],
      },
    };
    const body = configStatusApply(current, ready, false, now) as unknown as {
      status: { conditions: { type: string; lastTransitionTime: string }[]; observedGeneration: number };
    };
    expect(body.status.observedGeneration).toBe(6);
    expect(body.status.conditions.find((c) => c.type === 'Available')?.lastTransitionTime).toBe('2025-01-01T00:00:00Z');
  });

  it('refuses to apply another app’s condition type', () => {
    expect(() => configStatusApply({}, { ...ready, conditions: [{ type: 'StorageExists', status: 'True' }] }, true, now)).toThrow(ConditionsApplyError);
  });
});
