import { describe, expect, it } from 'vitest';
import { readOnlyWindow, readOnlyWindowPhase } from './read-only-window.ts';

const request = (status: string, lastTransitionTime: string) => [{ type: readOnlyWindow.requestType, status, lastTransitionTime }];
const at = new Date('2026-01-01T10:00:00Z');

describe('readOnlyWindowPhase', () => {
  it('is closed without a request or with a released one', () => {
    expect(readOnlyWindowPhase(undefined, at)).toEqual({ kind: 'closed' });
    expect(readOnlyWindowPhase(request('False', '2026-01-01T09:59:00Z'), at)).toEqual({ kind: 'closed' });
  });

  it('is open from the request until its time plus maxSeconds, then expired', () => {
    const open = readOnlyWindowPhase(request('True', '2026-01-01T09:30:00Z'), at);
    expect(open).toEqual({ kind: 'open', requestedAt: new Date('2026-01-01T09:30:00Z'), deadline: new Date('2026-01-01T10:30:00Z') });
    expect(readOnlyWindowPhase(request('True', '2026-01-01T09:00:00Z'), at).kind).toBe('expired');
  });

  it('refuses a request stamped in the future or without a time', () => {
    expect(readOnlyWindowPhase(request('True', '2026-01-01T11:00:00Z'), at).kind).toBe('refused');
    expect(readOnlyWindowPhase(request('True', 'soon'), at).kind).toBe('refused');
  });
});
