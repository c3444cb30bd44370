/**
 * Upstream's controller Degraded inertia: an error is reported only once it has lasted `windowMs`
 * since its first occurrence, so a blip (an API server restart) never turns the operator Degraded.
 */
export class FailureInertia {
  private since: number | undefined;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(opts: { windowMs: number; now?: () => number }) {
    this.windowMs = opts.windowMs;
    this.now = opts.now ?? Date.now;
  }

  /** Records a failure; true when failures have lasted the whole window. */
  failed(): boolean {
    const now = this.now();
    this.since ??= now;
    return now - this.since >= this.windowMs;
  }

  /** How long until a failure that goes on would be reported (0 when it already is). */
  remainingMs(): number {
    return this.since === undefined ? this.windowMs : Math.max(0, this.windowMs - (this.now() - this.since));
  }

  succeeded(): void {
    this.since = undefined;
  }
}
