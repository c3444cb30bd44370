// What one run measured, per system: the shape results.json holds and the table reads.

export interface ProcessFigures {
  name: string;
  /** VmRSS at the end of the last idle window. */
  rssMiB: number;
  /** RssAnon at the same moment: RSS without the shared file pages (absent in older results). */
  privateMiB?: number;
  /** VmHWM: the peak RSS since start (absent in older results). */
  peakMiB?: number;
  /** CPU seconds per 60 s, the mean of the idle windows. */
  idleCpuPer60s: number;
  idleReadsPerMin: number;
  idleWritesPerMin: number;
  /** Writes this process sent per replicas change, per series (by gap). */
  writesPerChange: Record<string, number>;
  readsPerChange: Record<string, number>;
}

export interface ChangeSeries {
  gapMs: number;
  /** ms from the PATCH returning to the watch showing the Deployment's new spec.replicas. */
  latenciesMs: number[];
  /** Requests of the system's own clients per change, and their detail over the whole series. */
  readsPerChange: number;
  writesPerChange: number;
  /** Of writesPerChange, Events (issue #19 counts object writes; Events are reported beside them). */
  eventWritesPerChange?: number;
  detail: Record<string, number>;
}

export interface SystemResult {
  system: string;
  /** The versions measured (commit, form). */
  label: string;
  createToDeploymentMs: number;
  /** One sample per Removed → Managed cycle: ms from the Managed PATCH returning to the Deployment's ADDED. */
  removedToManagedMs: number[];
  changes: ChangeSeries[];
  idle: {
    rssMiB: number;
    privateMiB?: number;
    cpuPer60s: number;
    readsPerMin: number;
    writesPerMin: number;
    detail: Record<string, number>;
  };
  processes: ProcessFigures[];
}

export interface RunResult {
  startedAt: string;
  host: string;
  settings: Record<string, unknown>;
  notes: string[];
  systems: SystemResult[];
}

/** The nearest-rank percentile; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}
