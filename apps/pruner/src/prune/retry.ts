/**
 * Upstream's retry wrapper (§10.3) for our prune command, in-process: the app images have no shell.
 * On failure it tries up to `retries` more times, waiting i*30 s before attempt i+1, and returns the
 * last attempt's exit code. Bad flags (exit 2) and a stop request are not retried.
 */
export interface RetryOptions {
  retries: number;
  /** Waits `ms`; resolves early (or not at all) is fine — `stopped()` is checked after it. */
  wait: (ms: number) => Promise<void>;
  stopped: () => boolean;
  onRetry: (attempt: number, exitCode: number) => void;
}

export const usageExitCode = 2;

export async function withRetries(run: () => Promise<number>, opts: RetryOptions): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const rc = await run();
    if (rc === 0 || rc === usageExitCode || attempt >= opts.retries || opts.stopped()) return rc;
    opts.onRetry(attempt + 1, rc);
    await opts.wait((attempt + 1) * 30_000);
    if (opts.stopped()) return rc;
  }
}

/** A leading `--retries=N` is the wrapper's, not the prune command's: split it off. */
export function splitRetries(argv: readonly string[]): { retries: number; argv: string[] } {
  const m = /^--retries=(\d+)$/.exec(argv[0] ?? '');
  return m ? { retries: Number(m[1]), argv: argv.slice(1) } : { retries: 0, argv: [...argv] };
}
