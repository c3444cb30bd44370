// Who read and wrote what, from kube-apiserver's audit log (Metadata level, one JSON line per request).
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

export interface AuditEvent {
  auditID: string;
  verb: string;
  userAgent?: string;
  user?: { username?: string };
  objectRef?: { resource?: string; subresource?: string; name?: string; namespace?: string };
  requestReceivedTimestamp: string;
  /** When the stage logged ended (ResponseComplete: the answer was sent). */
  stageTimestamp?: string;
}

export interface Traffic {
  reads: number;
  writes: number;
  /** Of `writes`, those that create or patch an Event (a record for admins, not a change of state). */
  eventWrites: number;
  /** `<verb> <resource>[/<subresource>] <name>` → count, for the detail lines. */
  detail: Record<string, number>;
}

const reads = new Set(['get', 'list', 'watch']);
const writes = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** Follows one audit log: each `read()` returns the complete lines appended since the last call. */
export class AuditLog {
  private offset = 0;
  private readonly seen = new Set<string>();
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  read(): AuditEvent[] {
    if (!existsSync(this.file)) return [];
    const size = statSync(this.file).size;
    if (size <= this.offset) return [];
    const buf = Buffer.alloc(size - this.offset);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buf, 0, buf.length, this.offset);
    } finally {
      closeSync(fd);
    }
    const end = buf.lastIndexOf(0x0a);
    if (end < 0) return [];
    this.offset += end + 1;
    const out: AuditEvent[] = [];
    for (const line of buf.subarray(0, end).toString('utf8').split('\n')) {
      if (!line) continue;
      const e = JSON.parse(line) as AuditEvent;
      // A request can log more than one stage (ResponseStarted for watches): count it once.
      if (this.seen.has(e.auditID)) continue;
      this.seen.add(e.auditID);
      out.push(e);
    }
    return out;
  }
}

/** Requests received in [from, to), per client; `client` names the sender or returns undefined (not counted). */
export function trafficByClient(
  events: readonly AuditEvent[],
  from: number,
  to: number,
  client: (e: AuditEvent) => string | undefined,
): Map<string, Traffic> {
  const by = new Map<string, Traffic>();
  for (const e of events) {
    const t = Date.parse(e.requestReceivedTimestamp);
    if (t < from || t >= to) continue;
    const who = client(e);
    if (who === undefined) continue;
    let b = by.get(who);
    if (!b) by.set(who, (b = { reads: 0, writes: 0, eventWrites: 0, detail: {} }));
    if (reads.has(e.verb)) b.reads++;
    else if (writes.has(e.verb)) {
      b.writes++;
      if (e.objectRef?.resource === 'events') b.eventWrites++;
    } else continue;
    const r = e.objectRef;
    const what = `${e.verb} ${r?.resource ?? '?'}${r?.subresource ? `/${r.subresource}` : ''}${r?.name ? ` ${r.name}` : ''}`;
    b.detail[what] = (b.detail[what] ?? 0) + 1;
  }
  return by;
}

/** Sums the traffic of every client. */
export function totalTraffic(by: ReadonlyMap<string, Traffic>): Traffic {
  const t: Traffic = { reads: 0, writes: 0, eventWrites: 0, detail: {} };
  for (const [who, b] of by) {
    t.reads += b.reads;
    t.writes += b.writes;
    t.eventWrites += b.eventWrites;
    for (const [k, v] of Object.entries(b.detail)) t.detail[`${who}: ${k}`] = v;
  }
  return t;
}
