import { describe, expect, it } from 'vitest';
import { degradedCondition } from './degraded.ts';

const failure = {
  reason: 'ProvisioningFailed',
  message: 'Unable to provision S3 storage: boom',
  terminal: false,
};

describe('degradedCondition', () => {
  it('is False AsExpected without a failure', () => {
    expect(degradedCondition(undefined, 0, 1000)).toEqual({
      type: 'StorageControllerDegraded',
      status: 'False',
      reason: 'AsExpected',
      message: '',
    });
  });

  it('is not Degraded while a transient failure is retried within the grace period', () => {
    expect(degradedCondition(failure, 999, 1000)).toEqual({
      type: 'StorageControllerDegraded',
      status: 'False',
      reason: 'Retrying',
      message: 'Retrying: Unable to provision S3 storage: boom',
    });
  });

  it('turns Degraded when the failure has lasted the grace period, or at once when only the admin can fix it', () => {
    expect(degradedCondition(failure, 1000, 1000)).toMatchObject({
      status: 'True',
      reason: 'ProvisioningFailed',
      message: failure.message,
    });
    expect(degradedCondition({ ...failure, terminal: true }, 0, 1000)).toMatchObject({ status: 'True' });
  });
});
