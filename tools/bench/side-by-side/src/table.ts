// The issue's table (upstream | ours | ratio) and a per-process table, as markdown, from a run's results.
import { percentile, type ProcessFigures, type RunResult, type SystemResult } from './results.ts';

type Cell = number[];
interface Row {
  figure: string;
  digits: number;
  get(s: SystemResult): Cell | undefined;
}

const series = (s: SystemResult, gapMs: number) => s.changes.find((c) => c.gapMs === gapMs);

function rows(gaps: readonly number[]): Row[] {
  const out: Row[] = [
    { figure: 'idle RSS, total (MiB)', digits: 0, get: (s) => [s.idle.rssMiB] },
    // RSS counts the binary's pages in every process; these are each process's own.
    { figure: 'idle private memory (RssAnon), total (MiB)', digits: 0, get: (s) => [s.idle.privateMiB ?? NaN] },
    { figure: 'idle CPU per 60 s, total (s)', digits: 2, get: (s) => [s.idle.cpuPer60s] },
    {
      figure: 'writes per idle minute (lease renewals included)',
      digits: 1,
      get: (s) => [s.idle.writesPerMin],
    },
    { figure: 'Config created → Deployment (ms)', digits: 0, get: (s) => [s.createToDeploymentMs] },
  ];
  for (const gap of gaps) {
    out.push({
      figure: `replicas change → Deployment, ${gap / 1000} s apart, p50 / p99 (ms)`,
      digits: 0,
      get: (s) => {
        const c = series(s, gap);
        return c && [percentile(c.latenciesMs, 50), percentile(c.latenciesMs, 99)];
      },
    });
  }
  out.push({
    figure: 'Removed → Managed → Deployment, p50 / max (ms)',
    digits: 0,
    get: (s) =>
      s.removedToManagedMs.length
        ? [percentile(s.removedToManagedMs, 50), Math.max(...s.removedToManagedMs)]
        : undefined,
  });
  for (const gap of gaps) {
    out.push({
      figure: `reads / writes per replicas change, ${gap / 1000} s apart (leases excluded)`,
      digits: 1,
      get: (s) => {
        const c = series(s, gap);
        return c && [c.readsPerChange, c.writesPerChange];
      },
    });
  }
  for (const gap of gaps) {
    out.push({
      figure: `object / Event writes per replicas change, ${gap / 1000} s apart (leases excluded)`,
      digits: 1,
      get: (s) => {
        const c = series(s, gap);
        const events = c?.eventWritesPerChange ?? 0;
        return c && [c.writesPerChange - events, events];
      },
    });
  }
  return out;
}

const fmt = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const cell = (c: Cell | undefined, digits: number) => (c ? c.map((v) => fmt(v, digits)).join(' / ') : 'n/a');

/** ours ÷ upstream per value; "–" where either is missing, "0 / 0" where both are zero. */
export function ratio(ours: Cell | undefined, up: Cell | undefined): string {
  if (!ours || !up) return '–';
  return ours
    .map((o, i) => {
      const u = up[i] ?? NaN;
      if (!Number.isFinite(o) || !Number.isFinite(u)) return 'n/a';
      if (u === 0) return o === 0 ? '=' : '∞';
      return `${(o / u).toFixed(2)}×`;
    })
    .join(' / ');
}

function writesPerClient(s: SystemResult, gap: number): string {
  const parts = s.processes
    .map((p) => [p.name, p.writesPerChange[String(gap)] ?? 0] as const)
    .filter(([, w]) => w > 0)
    .map(([n, w]) => `${n} ${w.toFixed(1)}`);
  return parts.length ? parts.join(', ') : 'none';
}

function processRow(p: ProcessFigures, gaps: readonly number[]): string {
  const perChange = gaps.map((g) => fmt(p.writesPerChange[String(g)] ?? NaN, 1)).join(' / ');
  return `| ${p.name} | ${fmt(p.rssMiB, 0)} | ${fmt(p.privateMiB ?? NaN, 0)} | ${fmt(p.peakMiB ?? NaN, 0)} | ${fmt(p.idleCpuPer60s, 2)} | ${fmt(p.idleReadsPerMin, 1)} | ${fmt(p.idleWritesPerMin, 1)} | ${perChange} |`;
}

/** The whole report: the comparison table, writes per change per client, and each system's processes. */
export function renderTables(run: RunResult): string {
  const up = run.systems.find((s) => s.system === 'upstream');
  const ours = run.systems.find((s) => s.system !== 'upstream');
  const gaps = [...new Set(run.systems.flatMap((s) => s.changes.map((c) => c.gapMs)))];
  const lines: string[] = [];
  const oursHead = ours ? `ours (${ours.processes.length} apps, ${ours.label})` : 'ours (not run)';
  lines.push(
    `| figure | upstream${up ? ` (${up.label})` : ' (not run)'} | ${oursHead} | ours / upstream |`,
    '|---|---|---|---|',
  );
  for (const r of rows(gaps)) {
    const u = up && r.get(up);
    const o = ours && r.get(ours);
    lines.push(`| ${r.figure} | ${cell(u, r.digits)} | ${cell(o, r.digits)} | ${ratio(o, u)} |`);
  }
  for (const gap of gaps) {
    lines.push(
      `| writes per change per client, ${gap / 1000} s apart | ${up ? writesPerClient(up, gap) : 'n/a'} | ${ours ? writesPerClient(ours, gap) : 'n/a'} | |`,
    );
  }
  for (const s of run.systems) {
    lines.push(
      '',
      `${s.system} per process:`,
      '',
      `| process | idle RSS (MiB) | idle RssAnon (MiB) | peak RSS (MiB) | idle CPU per 60 s (s) | reads per idle min | writes per idle min | writes per change (${gaps.map((g) => `${g / 1000} s`).join(' / ')}) |`,
      '|---|---|---|---|---|---|---|---|',
    );
    for (const p of s.processes) lines.push(processRow(p, gaps));
    const first = s.changes[0];
    if (first) {
      const top = Object.entries(first.detail)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12);
      lines.push(
        '',
        `${s.system}: requests over the ${first.latenciesMs.length} changes ${first.gapMs / 1000} s apart: ${top.map(([k, v]) => `${k} ×${v}`).join('; ') || 'none'}`,
      );
    }
  }
  if (run.notes.length) lines.push('', ...run.notes.map((n) => `note: ${n}`));
  return lines.join('\n');
}
