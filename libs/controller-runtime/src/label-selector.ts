/** A parsed label selector: a predicate over an object's labels. */
export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

export class LabelSelectorError extends Error {
  override name = 'LabelSelectorError';
}

/**
 * Parses the Kubernetes label selector syntax (`a=b,c!=d,e in (x,y),f notin (z),g,!h`), the same string
 * the API server accepts, so cache queries and watches agree on what matches.
 */
export function parseLabelSelector(selector: string): LabelMatcher {
  const reqs = splitTop(selector)
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseRequirement);
  return (labels) => reqs.every((r) => r(labels ?? {}));
}

type Req = (labels: Record<string, string>) => boolean;

function parseRequirement(s: string): Req {
  let m = /^([^\s!=(),<>]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(s);
  if (m) {
    const [, key = '', op, list = ''] = m;
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in'
      ? (l) => l[key] !== undefined && values.has(l[key])
      : (l) => l[key] === undefined || !values.has(l[key]);
  }
  m = /^([^\s!=(),<>]+)\s*(==|=|!=)\s*([^\s!=(),<>]*)$/.exec(s);
  if (m) {
    const [, key = '', op, value = ''] = m;
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  m = /^(!?)([^\s!=(),<>]+)$/.exec(s);
  if (m) {
    const [, not, key = ''] = m;
    return not ? (l) => l[key] === undefined : (l) => l[key] !== undefined;
  }
  throw new LabelSelectorError(`cannot parse label selector requirement "${s}" (use key=value, key!=value, key in (a,b), key, !key)`);
}

function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
