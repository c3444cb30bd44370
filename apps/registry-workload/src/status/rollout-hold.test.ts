import { describe, expect, it } from 'vitest';
import { RolloutHold, isRolloutStep } from './rollout-hold.ts';

const ready = [
  { type: 'Available', status: 'True' as const, reason: 'Ready' },
  { type: 'Progressing', status: 'False' as const, reason: 'Ready' },
];
const scaling = [
  { type: 'Available', status: 'True' as const, reason: 'MinimumAvailability' },
  { type: 'Progressing', status: 'False' as const, reason: 'Ready' },
];
const notObserved = [
  { type: 'Available', status: 'True' as const, reason: 'Ready' },
  { type: 'Progressing', status: 'True' as const, reason: 'DeploymentNotCompleted' },
];
const noReplicas = [
  { type: 'Available', status: 'False' as const, reason: 'NoReplicasAvailable' },
  { type: 'Progressing', status: 'True' as const, reason: 'DeploymentNotCompleted' },
];

describe('rollout steps', () => {
  it('are the states the Deployment controller passes through, not an unavailable registry', () => {
    expect(isRolloutStep(scaling)).toBe(true);
    expect(isRolloutStep(notObserved)).toBe(true);
    expect(isRolloutStep(ready)).toBe(false);
    // Available False is news however short it lasts, whatever Progressing says.
    expect(isRolloutStep(noReplicas)).toBe(false);
    expect(
      isRolloutStep([
        ...notObserved,
        { type: 'Degraded', status: 'True', reason: 'ProgressDeadlineExceeded' },
      ]),
    ).toBe(false);
  });
});

describe('RolloutHold', () => {
  it('holds a changed rollout step for the interval, then publishes it', () => {
    const hold = new RolloutHold(2000);
    expect(hold.decide(scaling, true, 1000)).toEqual({ publish: false, holdMs: 2000 });
    expect(hold.decide(notObserved, true, 1500)).toEqual({ publish: false, holdMs: 1500 });
    expect(hold.decide(scaling, true, 3000)).toEqual({ publish: true });
    // The next step of a long rollout waits a whole interval again.
    expect(hold.decide(scaling, true, 3100)).toEqual({ publish: false, holdMs: 2000 });
  });

  it('publishes at once what ends the rollout, and forgets the steps it superseded', () => {
    const hold = new RolloutHold(2000);
    expect(hold.decide(scaling, true, 1000).publish).toBe(false);
    expect(hold.decide(ready, true, 1200)).toEqual({ publish: true });
    expect(hold.decide(scaling, true, 5000)).toEqual({ publish: false, holdMs: 2000 });
  });

  it('never holds a status the Config already shows', () => {
    const hold = new RolloutHold(2000);
    expect(hold.decide(scaling, false, 1000)).toEqual({ publish: true });
  });
});
