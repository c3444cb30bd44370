import { InvalidConfigError } from './errors.ts';

// Nanoseconds per unit, as Go's time.ParseDuration knows them.
const units: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const maxInt64 = (1n << 63n) - 1n;

/**
 * Parses a Go duration string (`1h30m`, `1.5s`, `-2ms`, `0`) into nanoseconds, exactly as
 * `time.ParseDuration` does. Returns undefined for anything Go would reject.
 */
export function parseGoDuration(input: string): bigint | undefined {
  let s = input;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?([^\d.]+)/.exec(s);
    if (!m) return undefined;
    const [whole, intPart = '', fracPart, unit = ''] = m;
    if (intPart === '' && (fracPart === undefined || fracPart === '')) return undefined;
    const scale = units[unit];
    if (scale === undefined) return undefined;
    let value = BigInt(intPart || '0') * scale;
    if (fracPart) {
      // Go truncates the fraction to nanosecond precision.
      value += (BigInt(fracPart) * scale) / 10n ** BigInt(fracPart.length);
    }
    total += value;
    if (total > maxInt64) return undefined;
    s = s.slice(whole.length);
  }
  return negative ? -total : total;
}

function fraction(v: bigint, digits: number): string {
  // `v` holds `digits` decimal places; Go prints them without trailing zeros and without a dot if none.
  const str = v.toString().padStart(digits, '0').replace(/0+$/, '');
  return str === '' ? '' : `.${str}`;
}

/** Formats nanoseconds the way Go's `time.Duration.String()` does: `0s`, `1.5ms`, `5m0s`, `6h0m0s`. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  const u = ns < 0n ? -ns : ns;
  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${u / 1_000n}${fraction(u % 1_000n, 3)}µs`;
  if (u < 1_000_000_000n) return `${sign}${u / 1_000_000n}${fraction(u % 1_000_000n, 6)}ms`;
  const seconds = `${(u / 1_000_000_000n) % 60n}${fraction(u % 1_000_000_000n, 9)}s`;
  const totalMinutes = u / 60_000_000_000n;
  if (totalMinutes === 0n) return `${sign}${seconds}`;
  const hours = totalMinutes / 60n;
  const minutes = totalMinutes % 60n;
  return hours === 0n ? `${sign}${minutes}m${seconds}` : `${sign}${hours}h${minutes}m${seconds}`;
}

/** A Config duration field as Go would print it, or an error naming the field. */
export function normalizeDuration(field: string, value: string | undefined): string {
  if (value === undefined || value === '') return '0s';
  const ns = parseGoDuration(value);
  if (ns === undefined) {
    throw new InvalidConfigError(
      field,
      `${JSON.stringify(value)} is not a duration: use a Go duration such as "30s", "5m" or "1h30m"`,
    );
  }
  return formatGoDuration(ns);
}
