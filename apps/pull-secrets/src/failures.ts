/**
 * The objects whose last reconcile failed, and why, for the Degraded condition. Entries go on success
 * (and when the object goes), so the condition clears by itself.
 */
export interface Failure {
  /** `ns/name` of the ServiceAccount or secret. */
  key: string;
  message: string;
  sinceMs: number;
}

export class Failures {
  private readonly byKey = new Map<string, Failure>();
  private readonly onChange: () => void;

  constructor(onChange: () => void = () => undefined) {
    this.onChange = onChange;
  }

  fail(key: string, message: string, nowMs: number): void {
    const old = this.byKey.get(key);
    this.byKey.set(key, { key, message, sinceMs: old?.sinceMs ?? nowMs });
    if (!old || old.message !== message) this.onChange();
  }

  clear(key: string): void {
    if (this.byKey.delete(key)) this.onChange();
  }

  /** Failures older than `minAgeMs`, oldest first (a conflict retried at once never shows). */
  lasting(nowMs: number, minAgeMs: number): Failure[] {
    return [...this.byKey.values()].filter((f) => nowMs - f.sinceMs >= minAgeMs).sort((a, b) => a.sinceMs - b.sinceMs);
  }

  get size(): number {
    return this.byKey.size;
  }
}
