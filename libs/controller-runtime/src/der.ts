/**
 * The few DER shapes X.509 certificates need, written and read by hand (see certificates.ts for why).
 * Writers build a TLV from its parts; the reader walks TLVs without interpreting them.
 */

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}
export const seq = (...parts: Buffer[]) => tlv(0x30, ...parts);
export const set = (...parts: Buffer[]) => tlv(0x31, ...parts);
export const octetString = (b: Buffer) => tlv(0x04, b);
export const bitString = (b: Buffer, unusedBits = 0) => tlv(0x03, Buffer.from([unusedBits]), b);
export const boolean = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));

/** A non-negative INTEGER from its magnitude (big-endian, minimal, a 0 byte added where the top bit is set). */
export function integer(magnitude: Buffer | number): Buffer {
  let b = typeof magnitude === 'number' ? Buffer.from([magnitude]) : magnitude;
  while (b.length > 1 && b[0] === 0 && ((b[1] ?? 0) & 0x80) === 0) b = b.subarray(1);
  return tlv(0x02, ((b[0] ?? 0) & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

export function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) base128.unshift((v & 0x7f) | 0x80);
    out.push(...base128);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime through 2049, GeneralizedTime after, as RFC 5280 requires; whole seconds. */
export function time(d: Date): Buffer {
  const digits = d.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
}

export interface Node {
  tag: number;
  /** The whole TLV. */
  raw: Buffer;
  /** Its contents. */
  value: Buffer;
}

/** The TLVs one after another in `buf` (a constructed value's contents). Throws on a truncated encoding. */
export function children(buf: Buffer): Node[] {
  const out: Node[] = [];
  for (let at = 0; at < buf.length; ) {
    const tag = buf[at] ?? 0;
    let len = buf[at + 1] ?? 0;
    let header = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4) throw new Error('DER: unsupported length encoding');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + (buf[at + 2 + i] ?? 0);
      header += n;
    }
    const end = at + header + len;
    if (end > buf.length) throw new Error('DER: truncated value');
    out.push({ tag, raw: buf.subarray(at, end), value: buf.subarray(at + header, end) });
    at = end;
  }
  return out;
}

/** The single TLV that makes up `buf`. */
export function only(buf: Buffer): Node {
  const [node, ...rest] = children(buf);
  if (!node || rest.length > 0) throw new Error('DER: expected exactly one value');
  return node;
}

export function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
