import { describe, expect, it } from 'vitest';
import { splitRetries, withRetries } from './retry.ts';

const ignore = (): void => undefined;

function runner(codes: number[]) {
  const calls: number[] = [];
  return {
    calls,
    run: () => {
      calls.push(calls.length);
      return Promise.resolve(codes[Math.min(calls.length - 1, codes.length - 1)] ?? 0);
    },
  };
}

describe('withRetries', () => {
  it('retries a failure five times with i*30 s waits and returns the last exit code', async () => {
    const waits: number[] = [];
    const retries: string[] = [];
    const r = runner([1]);
    const rc = await withRetries(r.run, {
      retries: 5,
      wait: (ms) => (waits.push(ms), Promise.resolve()),
      stopped: () => false,
      onRetry: (attempt, code) => retries.push(`attempt #${attempt} has failed (exit code ${code})`),
    });
    expect(rc).toBe(1);
    expect(r.calls).toHaveLength(6);
    expect(waits).toEqual([30_000, 60_000, 90_000, 120_000, 150_000]);
    expect(retries[0]).toBe('attempt #1 has failed (exit code 1)');
  });

  it('stops at the first success', async () => {
    const r = runner([1, 0]);
    const rc = await withRetries(r.run, { retries: 5, wait: () => Promise.resolve(), stopped: () => false, onRetry: ignore });
    expect([rc, r.calls.length]).toEqual([0, 2]);
  });

  it('does not retry bad flags or after a stop request', async () => {
    const usage = runner([2]);
    expect(await withRetries(usage.run, { retries: 5, wait: () => Promise.resolve(), stopped: () => false, onRetry: ignore })).toBe(2);
    expect(usage.calls).toHaveLength(1);
    const stopped = runner([1]);
    expect(await withRetries(stopped.run, { retries: 5, wait: () => Promise.resolve(), stopped: () => true, onRetry: ignore })).toBe(1);
    expect(stopped.calls).toHaveLength(1);
  });

  it('takes a leading --retries=N as the wrapper\'s, and none by default', () => {
    expect(splitRetries(['--retries=5', '--confirm=true'])).toEqual({ retries: 5, argv: ['--confirm=true'] });
    expect(splitRetries(['--confirm=true'])).toEqual({ retries: 0, argv: ['--confirm=true'] });
  });
});
