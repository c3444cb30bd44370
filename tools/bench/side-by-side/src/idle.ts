// The idle windows after convergence: CPU and memory from /proc, requests from the audit log, per process.
import { totalTraffic, trafficByClient, type AuditEvent, type AuditLog } from './audit-log.ts';
import { cpuSeconds, loadAverage, rssMiB, type Proc } from './processes.ts';

export interface IdleInput {
  o: { idleWindows: number; idleSeconds: number };
  sys: { name: string; client(userAgent: string): string | undefined };
  audit: AuditLog;
  /** Every audit event of the phase so far; the windows' events are appended. */
  events: AuditEvent[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function idleWindows(c: IdleInput, procs: Proc[]) {
  const per = new Map<string, { cpu: number; reads: number; writes: number }>();
  let detail: Record<string, number> = {};
  let cpuTotal = 0;
  let minutes = 0;
  for (let w = 0; w < c.o.idleWindows; w++) {
    const cpu0 = new Map(procs.map((p) => [p.name, cpuSeconds(p.pid)]));
    const from = Date.now();
    const load = loadAverage();
    await sleep(c.o.idleSeconds * 1000);
    const to = Date.now();
    await sleep(1_000);
    c.events.push(...c.audit.read());
    const traffic = trafficByClient(c.events, from, to, (e) => c.sys.client(e.userAgent ?? ''));
    const m = (to - from) / 60_000;
    minutes += m;
    for (const p of procs) {
      const used = cpuSeconds(p.pid) - (cpu0.get(p.name) ?? NaN);
      const t = traffic.get(p.name);
      const acc = per.get(p.name) ?? { cpu: 0, reads: 0, writes: 0 };
      per.set(p.name, {
        cpu: acc.cpu + used,
        reads: acc.reads + (t?.reads ?? 0),
        writes: acc.writes + (t?.writes ?? 0),
      });
      cpuTotal += used;
    }
    detail = totalTraffic(traffic).detail;
    console.error(
      `${c.sys.name}: idle window ${w + 1}: ${procs.reduce((a, p) => a + rssMiB(p.pid), 0).toFixed(0)} MiB, load ${load}`,
    );
  }
  return { per, cpuTotal, minutes, detail };
}
