import { describe, expect, it } from 'vitest';
import { decideManagementState, type ManagementStateInput } from './management-state.ts';

const base: ManagementStateInput = {
  current: undefined,
  chosenByUser: false,
  identityChanged: false,
  generatedName: false,
  exists: false,
};

describe('decideManagementState', () => {
  it('makes storage under a generated name Managed, even when it already exists', () => {
    expect(decideManagementState({ ...base, generatedName: true, exists: true })).toBe('Managed');
  });

  it('makes an existing user-named bucket Unmanaged and a missing one (about to be created) Managed', () => {
    expect(decideManagementState({ ...base, exists: true })).toBe('Unmanaged');
    expect(decideManagementState({ ...base, exists: false })).toBe('Managed');
  });

  it('keeps a value the admin chose, whatever the storage', () => {
    expect(
      decideManagementState({
        ...base,
        current: 'Managed',
        chosenByUser: true,
        identityChanged: true,
        exists: true,
      }),
    ).toBe('Managed');
    expect(
      decideManagementState({ ...base, current: 'Unmanaged', chosenByUser: true, generatedName: true }),
    ).toBe('Unmanaged');
  });

  it('keeps its own decision while the spec names the same storage', () => {
    expect(decideManagementState({ ...base, current: 'Managed', exists: true })).toBe('Managed');
  });

  it('decides again when the spec now points at another existing bucket, so that bucket is never deleted', () => {
    expect(decideManagementState({ ...base, current: 'Managed', identityChanged: true, exists: true })).toBe(
      'Unmanaged',
    );
  });
});
