import { describe, expect, it } from 'vitest';
import { renderDegraded } from './condition.ts';

describe('PullSecretsControllerDegraded', () => {
  it('is False AsExpected with no failures', () => {
    expect(renderDegraded({ mode: 'Managed', failures: [], keyIdError: undefined })).toEqual({
      type: 'PullSecretsControllerDegraded',
      status: 'False',
      reason: 'AsExpected',
      message: '',
    });
  });
  it('names how many and which objects failed', () => {
    const c = renderDegraded({
      mode: 'Managed',
      failures: [
        { key: 'a/sa', message: 'create secrets: 403 forbidden', sinceMs: 1 },
        { key: 'b/sa', message: 'x', sinceMs: 2 },
      ],
      keyIdError: undefined,
    });
    expect(c).toMatchObject({ status: 'True', reason: 'PullSecretWriteFailed' });
    expect(c.message).toContain('2 pull secrets could not be written (oldest a/sa)');
    expect(c.message).toContain('a/sa: create secrets: 403 forbidden');
  });
  it('says when no key ID is known', () => {
    expect(renderDegraded({ mode: 'Managed', failures: [], keyIdError: 'TokenRequest failed' })).toMatchObject({ status: 'True', reason: 'SigningKeyUnknown' });
  });
});
