import type { KubeObject, ManagedFieldsEntry } from './objects.ts';

type Json = unknown;
type FieldSet = Record<string, unknown>;

/**
 * True when applying `desired` with `fieldManager` cannot change `current`, so the request can be skipped.
 *
 * Both halves must hold, judged from the field manager's own entry in `current.metadata.managedFields`:
 * - every field in `desired` is owned by us and carries the desired value in `current`
 *   (extra fields in `current` are defaults or other managers' and do not matter), and
 * - we own no field that `desired` no longer contains (else the apply would remove it).
 *
 * When in doubt (no managedFields, an unknown list shape, a null) it answers false: a needless apply
 * costs one request, a wrongly skipped one leaves drift.
 */
export function applyIsNoop(
  desired: KubeObject,
  current: KubeObject | undefined,
  fieldManager: string,
  subresource?: string,
): boolean {
  if (!current?.metadata) return false;
  const entry = ownEntry(current.metadata.managedFields, fieldManager, subresource);
  if (!entry?.fieldsV1 || (desired.apiVersion && entry.apiVersion && entry.apiVersion !== desired.apiVersion)) {
    return false;
  }
  if (current.metadata.deletionTimestamp) return false;
  return covers(intentView(desired), current, entry.fieldsV1, true);
}

function ownEntry(
  entries: ManagedFieldsEntry[] | undefined,
  manager: string,
  subresource: string | undefined,
): ManagedFieldsEntry | undefined {
  return entries?.find(
    (e) => e.manager === manager && e.operation === 'Apply' && (e.subresource ?? '') === (subresource ?? ''),
  );
}

// Identity and server-owned metadata are never tracked as owned fields.
const untrackedMeta = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields']);

function intentView(desired: KubeObject): Record<string, Json> {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = desired as Record<string, Json> & KubeObject;
  const view: Record<string, Json> = { ...rest };
  const meta = Object.fromEntries(Object.entries(metadata ?? {}).filter(([k]) => !untrackedMeta.has(k)));
  if (Object.keys(meta).length > 0) view['metadata'] = meta;
  return view;
}

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function childKeys(f: FieldSet): string[] {
  return Object.keys(f).filter((k) => k !== '.');
}

/** `[]`, `{}`, or a map of only such: built-in types store none of them (Go's omitempty). */
function isEmpty(v: Json): boolean {
  return Array.isArray(v) ? v.length === 0 : isObject(v) && Object.values(v).every((x) => x === undefined || isEmpty(x));
}

function covers(d: Json, c: Json, f: Json, root = false, ignored?: Set<string>): boolean {
  // Empty on both sides (the server dropped what we sent, whether or not it recorded the field as ours):
  // the apply can neither add nor remove anything. Without this a Deployment rendered with
  // `topologySpreadConstraints: []` (any Config with a nodeSelector) was re-applied on every pass.
  if (isEmpty(d) && (c === undefined || isEmpty(c))) return true;
  if (!isObject(f)) return false;
  if (d === null || d === undefined) return false;
  if (Array.isArray(d)) return coversList(d, c, f);
  if (!isObject(d)) return d === c;
  if (!isObject(c)) return false;
  const children = childKeys(f);
  // A struct the server treats as atomic (or an opaque preserve-unknown field): compare it whole.
  if (children.length === 0) return Object.keys(d).length === 0 || subsetEqual(d, c);
  for (const [k, v] of Object.entries(d)) {
    if (v === undefined) continue;
    const meta = root && k === 'metadata' ? untrackedMeta : undefined;
    if (!covers(v, c[k], f[`f:${k}`], false, meta)) return false;
  }
  for (const k of children) {
    if (!k.startsWith('f:')) return false;
    const name = k.slice(2);
    if (d[name] === undefined && !ignored?.has(name)) return false;
  }
  return true;
}

function coversList(d: Json[], c: Json, f: FieldSet): boolean {
  if (!Array.isArray(c)) return false;
  const children = childKeys(f);
  if (children.length === 0) return d.length === c.length && d.every((v, i) => subsetEqual(v, c[i]));
  if (children.length !== d.length) return false;
  if (children.every((k) => k.startsWith('v:'))) {
    return d.every((v) => children.includes(`v:${JSON.stringify(v)}`) && c.some((x) => x === v));
  }
  if (!children.every((k) => k.startsWith('k:'))) return false;
  const entries = children.map((k) => ({ key: parseKey(k), fields: f[k] }));
  const used = new Set<number>();
  for (const item of d) {
    if (!isObject(item)) return false;
    const i = entries.findIndex((e, n) => !used.has(n) && e.key !== undefined && matchesKey(item, e.key));
    if (i < 0) return false;
    used.add(i);
    const entry = entries[i];
    const currentItem = c.find((x) => isObject(x) && entry?.key !== undefined && matchesKey(x, entry.key));
    if (!entry || !covers(item, currentItem, entry.fields)) return false;
  }
  return true;
}

function parseKey(k: string): Record<string, Json> | undefined {
  try {
    const parsed: Json = JSON.parse(k.slice(2));
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function matchesKey(item: Record<string, Json>, key: Record<string, Json>): boolean {
  return Object.entries(key).every(([k, v]) => item[k] === v);
}

/** `d` deep-equals the part of `c` it names (extra keys in `c` are server defaults). */
export function subsetEqual(d: Json, c: Json): boolean {
  if (Array.isArray(d)) return Array.isArray(c) && d.length === c.length && d.every((v, i) => subsetEqual(v, c[i]));
  if (isObject(d)) return isObject(c) && Object.entries(d).every(([k, v]) => v === undefined || subsetEqual(v, c[k]));
  return d === c;
}
