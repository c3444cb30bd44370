// Where the time of one reaction goes: every request of the system's clients between the user's PATCH
// and the Deployment's event, from the audit log (received time and server time per request).
import type { AuditEvent } from './audit-log.ts';

/** One line per request in [from, to]: ms after `from`, server ms, client, verb, object. */
export function traceLines(
  events: readonly AuditEvent[],
  from: number,
  to: number,
  client: (e: AuditEvent) => string | undefined,
): string[] {
  const lines: string[] = [];
  for (const e of events) {
    const t = Date.parse(e.requestReceivedTimestamp);
    if (t < from || t > to || e.verb === 'watch') continue;
    const who = client(e) ?? (e.userAgent === 'side-by-side-bench' ? 'bench' : undefined);
    if (!who) continue;
    const server = e.stageTimestamp ? Date.parse(e.stageTimestamp) - t : NaN;
    const r = e.objectRef;
    const what = `${r?.resource ?? '?'}${r?.subresource ? `/${r.subresource}` : ''}${r?.name ? ` ${r.name}` : ''}`;
    lines.push(
      `+${String(t - from).padStart(5)} ms  ${Number.isFinite(server) ? `${server} ms`.padStart(7) : '      ?'}  ${who.padEnd(20)} ${e.verb} ${what}`,
    );
  }
  return lines;
}
