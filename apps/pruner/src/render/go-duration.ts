/**
 * Go's time.Duration as text: parsing what the API accepts (`90s`, `1h30m`, `1.5h`) and printing it
 * the way Go's `Duration.String()` does (`1h0m0s`), because upstream passes `--keep-younger-than` to
 * oc in that form. Nanoseconds are bigints: int64 nanoseconds do not fit a double exactly.
 */

const unitNs: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const [hourNs, minuteNs, secondNs] = [3_600_000_000_000n, 60_000_000_000n, 1_000_000_000n];

export class GoDurationError extends Error {
  override name = 'GoDurationError';
}

/** Nanoseconds of a Go duration string; throws GoDurationError naming the bad text. */
export function parseGoDuration(text: string): bigint {
  let s = text.trim();
  let sign = 1n;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s.startsWith('-')) sign = -1n;
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw new GoDurationError(`"${text}" is not a Go duration (e.g. 90s, 30m, 1h30m)`);
  let total = 0n;
  const part = /^([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (s.length > 0) {
    const m = part.exec(s);
    const unit = m?.[3] ? unitNs[m[3]] : undefined;
    if (!m || unit === undefined || (m[1] === '' && (m[2] ?? '') === '')) {
      throw new GoDurationError(`"${text}" is not a Go duration (e.g. 90s, 30m, 1h30m)`);
    }
    const whole = BigInt(m[1] || '0');
    const frac = m[2] ?? '';
    let fracNs = 0n;
    if (frac) fracNs = (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += whole * unit + fracNs;
    s = s.slice(m[0].length);
  }
  return sign * total;
}

/** `Duration.String()` of Go for `ns` nanoseconds: `1h0m0s`, `10s`, `1.5s`, `500ms`, `0s`. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    const [unit, div] = u < 1_000n ? ['ns', 1n] : u < 1_000_000n ? ['µs', 1_000n] : ['ms', 1_000_000n];
    out = `${fraction(u, div)}${unit}`;
  } else {
    const h = u / hourNs;
    u -= h * hourNs;
    const m = u / minuteNs;
    u -= m * minuteNs;
    out = `${fraction(u, secondNs)}s`;
    if (h > 0n || m > 0n) out = `${m}m${out}`;
    if (h > 0n) out = `${h}h${out}`;
  }
  return neg ? `-${out}` : out;
}

/** `v / div` in decimal with trailing zeros of the fraction dropped. */
function fraction(v: bigint, div: bigint): string {
  const whole = v / div;
  const rest = v % div;
  if (rest === 0n) return String(whole);
  const digits = String(div).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}
