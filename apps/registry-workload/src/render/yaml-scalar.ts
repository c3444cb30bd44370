/**
 * Encodes a storage-driver value for an environment variable the way upstream does (yaml.v2 marshal,
 * trailing newline removed): the registry parses each override as YAML, so a string that YAML would
 * read as another type (`10`, `true`, ``) must be quoted to stay a string.
 */
export function yamlScalar(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot encode ${value} as a YAML scalar`);
    return String(value);
  }
  if (resolvesToNonString(value)) return doubleQuoted(value);
  if (/[\n\r\t]/.test(value) || /[^\x20-\x7e\u00a0-\uffff]/u.test(value)) return doubleQuoted(value);
  return plainAllowed(value) ? value : `'${value.replaceAll("'", "''")}'`;
}

// YAML 1.1 words yaml.v2 resolves to booleans or null.
const specialWords = new Set([
  '',
  '~',
  'null',
  'Null',
  'NULL',
  ...['y', 'yes', 'true', 'on', 'n', 'no', 'false', 'off'].flatMap((w) => [
    w,
    w[0]?.toUpperCase() + w.slice(1),
    w.toUpperCase(),
  ]),
]);

const intPattern = /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]*|[1-9][0-9_]*(?::[0-5]?[0-9])*)$/;
const floatPattern = /^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$/;
const specialFloat = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function resolvesToNonString(s: string): boolean {
  return specialWords.has(s) || intPattern.test(s) || floatPattern.test(s) || specialFloat.test(s);
}

// libyaml's plain-scalar rules for block context, reduced to what can occur in our values.
function plainAllowed(s: string): boolean {
  if (s.startsWith(' ') || s.endsWith(' ')) return false;
  if (/^[[\]{},#&*!|>'"%@`]/.test(s)) return false;
  if (/^[-?:](?:\s|$)/.test(s)) return false;
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':')) return false;
  return true;
}

function doubleQuoted(s: string): string {
  return JSON.stringify(s);
}
