import { describe, expect, it } from 'vitest';
import { FailureInertia } from './inertia.ts';

describe('FailureInertia', () => {
  it('reports a failure only after it lasted the window, and forgets it on success', () => {
    let now = 0;
    const inertia = new FailureInertia({ windowMs: 120_000, now: () => now });
    expect(inertia.failed()).toBe(false);
    now = 119_999;
    expect(inertia.failed()).toBe(false);
    expect(inertia.remainingMs()).toBe(1);
    now = 120_000;
    expect(inertia.failed()).toBe(true);
    inertia.succeeded();
    now = 500_000;
    expect(inertia.failed()).toBe(false);
  });
});
