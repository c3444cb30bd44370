import { describe, expect, it } from 'vitest';
import { registryConditions } from './status/conditions.ts';
import { verifyConfigSpec } from './verify.ts';

describe('verifyConfigSpec (upstream TestDegraded, on a CRD without our minimums)', () => {
  it("reports upstream's text for negative replicas and duplicate route names", () => {
    expect(verifyConfigSpec({ replicas: -1 })).toBe('replicas must be greater than or equal to 0');
    expect(verifyConfigSpec({ replicas: 0 })).toBeUndefined();
    expect(verifyConfigSpec({ replicas: 2, routes: [{ name: 'a' }, { name: 'a' }] })).toBe('duplication of names has been detected in the additional routes');
    expect(verifyConfigSpec({ routes: [{ name: 'default-route' }] })).toBe('duplication of names has been detected in the additional routes');
    expect(verifyConfigSpec({ routes: [{ name: 'a' }, { name: 'b' }] })).toBeUndefined();
  });

  it('surfaces as Degraded True VerificationFailed with the message upstream writes', () => {
    const status = registryConditions({
      managementState: 'Managed',
      deployment: undefined,
      outcome: { kind: 'error', permanent: true, reason: 'VerificationFailed', message: `unable to complete resource: ${verifyConfigSpec({ replicas: -1 })}` },
      previous: undefined,
      now: new Date(),
    });
    expect(status.conditions.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'VerificationFailed',
      message: expect.stringContaining('unable to complete resource: replicas must be greater than or equal to 0'),
    });
  });
});
