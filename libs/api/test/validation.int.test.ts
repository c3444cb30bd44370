import { describe, expect, it } from 'vitest';
import { testKubeConfig } from '@image-registry/testing';
import { invalidObjects } from './fixtures/objects.ts';
import { dryRunCreate, refusal } from './support.ts';

// Dry runs: nothing is stored, so these share the run's control plane with every other project.
describe('the API server rejects invalid objects with a message naming the field', () => {
  it.each(invalidObjects)('$name → $field', async ({ object, field }) => {
    const answer = await refusal(dryRunCreate(testKubeConfig(), object));
    expect(answer?.status).toBe(422);
    expect(answer?.message).toContain(`${field}:`);
  });
});
