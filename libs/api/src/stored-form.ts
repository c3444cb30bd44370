/**
 * An admin's tolerations or affinity as the API server stores them in a pod template: the server drops
 * empty strings and lists (omitempty) and an empty `matchLabels` map, but keeps an empty struct such as
 * `nodeAffinity: {}`. Sending the dropped ones makes every apply look like a change (issue #19).
 */
export function storedForm<T>(value: T): T {
  return prune(value) as T;
}

function prune(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(prune);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = prune(x);
    if (p === undefined || p === '' || (Array.isArray(p) && p.length === 0)) continue;
    if (k === 'matchLabels' && typeof p === 'object' && p !== null && Object.keys(p).length === 0) continue;
    out[k] = p;
  }
  return out;
}
