import type { DesiredCondition } from '@image-registry/conditions';
import type { Failure } from '../failures.ts';
import type { Mode } from '../management.ts';

export const degradedType = 'PullSecretsControllerDegraded';

export interface DegradedInputs {
  mode: Mode;
  /** Failures that lasted past the grace period, oldest first. */
  failures: readonly Failure[];
  /** Why the signing key IDs are unknown, when they are and have been for a while. */
  keyIdError: string | undefined;
}

/** `PullSecretsControllerDegraded`: True names what failed and where to look; False otherwise. */
export function renderDegraded(inputs: DegradedInputs): DesiredCondition {
  if (inputs.mode === 'Unmanaged') {
    return { type: degradedType, status: 'False', reason: 'Unmanaged', message: 'The registry is Unmanaged: pull secrets are left as they are' };
  }
  if (inputs.keyIdError && inputs.mode === 'Managed') {
    return { type: degradedType, status: 'True', reason: 'SigningKeyUnknown', message: `No pull secret can be refreshed: ${inputs.keyIdError}` };
  }
  const n = inputs.failures.length;
  if (n > 0) {
    const first = inputs.failures[0];
    const examples = inputs.failures
      .slice(0, 3)
      .map((f) => `${f.key}: ${f.message}`)
      .join('; ');
    return {
      type: degradedType,
      status: 'True',
      reason: 'PullSecretWriteFailed',
      message: `${n} pull secret${n === 1 ? '' : 's'} could not be written (oldest ${first?.key ?? ''}); see the ServiceAccounts' events. ${examples}`.slice(0, 2048),
    };
  }
  if (inputs.mode === 'Removed') {
    return { type: degradedType, status: 'False', reason: 'Removed', message: 'The managed pull secrets are being removed' };
  }
  return { type: degradedType, status: 'False', reason: 'AsExpected', message: '' };
}
