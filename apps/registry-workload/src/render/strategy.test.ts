import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from './errors.ts';
import { deploymentStrategy } from './strategy.ts';

describe('deploymentStrategy', () => {
  it('defaults to RollingUpdate with maxUnavailable replicas-1 and maxSurge 25%', () => {
    expect(deploymentStrategy(undefined, 4)).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 3, maxSurge: '25%' } });
    expect(deploymentStrategy('', 1)).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } });
  });

  it('uses maxUnavailable 1 and maxSurge 1 for exactly two replicas', () => {
    expect(deploymentStrategy('RollingUpdate', 2)).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } });
  });

  it('never renders a negative maxUnavailable for zero replicas (upstream bug)', () => {
    expect(deploymentStrategy('RollingUpdate', 0).rollingUpdate?.maxUnavailable).toBe(0);
  });

  it('renders Recreate without a rollingUpdate block', () => {
    expect(deploymentStrategy('Recreate', 3)).toEqual({ type: 'Recreate' });
  });

  it('rejects an unknown strategy naming the field', () => {
    expect(() => deploymentStrategy('BlueGreen', 1)).toThrow(InvalidConfigError);
    expect(() => deploymentStrategy('BlueGreen', 1)).toThrow(/spec\.rolloutStrategy/);
  });
});
