/** A JSON value with object keys sorted and undefined members dropped. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    const rec = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(rec)
        .sort()
        .filter((k) => rec[k] !== undefined)
        .map((k) => [k, canonical(rec[k])]),
    );
  }
  return value;
}

/** JSON text that is the same for equal values whatever their key order (for comparison and hashing). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value)) ?? 'undefined';
}

/** Two JSON values say the same thing (key order and undefined members do not matter). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
