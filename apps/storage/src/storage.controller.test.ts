import { describe, expect, it } from 'vitest';
import { configChanged } from './storage.controller.ts';

const config = (meta: Record<string, unknown>, status: Record<string, unknown> = {}) => ({
  metadata: { name: 'cluster', ...meta },
  status,
});

describe('configChanged', () => {
  it('passes spec changes, deletion and finalizer changes', () => {
    expect(
      configChanged({ type: 'update', old: config({ generation: 1 }), obj: config({ generation: 2 }) }),
    ).toBe(true);
    expect(
      configChanged({
        type: 'update',
        old: config({ generation: 1 }),
        obj: config({ generation: 1, deletionTimestamp: 'x' }),
      }),
    ).toBe(true);
    expect(
      configChanged({
        type: 'update',
        old: config({ generation: 1 }),
        obj: config({ generation: 1, finalizers: ['f'] }),
      }),
    ).toBe(true);
    expect(configChanged({ type: 'add', obj: config({ generation: 1 }) })).toBe(true);
  });

  it('drops status-only churn from the other apps', () => {
    expect(
      configChanged({
        type: 'update',
        old: config({ generation: 3 }),
        obj: config({ generation: 3 }, { readyReplicas: 2 }),
      }),
    ).toBe(false);
  });
});
