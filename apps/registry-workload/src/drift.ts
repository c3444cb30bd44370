import type { KubeObject, ManagedFieldsEntry } from '@image-registry/controller-runtime';

/**
 * Hand edits that server-side apply cannot undo. A force-apply takes back every field this app sets,
 * but it never removes what another manager added next to them (an extra env var or port, a rule).
 * Drift is exactly that: a field another manager owns *inside a path the desired object sets* (a
 * container this app renders, the spec of a policy). Nothing else is: a field in a part of the object
 * this app does not render (pull-secrets' imagePullSecrets, service-ca's injected `data`), and a key of a
 * free-form map (labels, annotations, ConfigMap/Secret data: `kubectl rollout restart`'s restartedAt,
 * an injected CA), where co-owners add keys by design. Fields of ours that someone changed are not
 * drift either: the force-apply has already taken them back.
 */
export interface Drift {
  manager: string;
  /** fieldsV1 keys from the top of the object (`f:spec`, `f:template`, `k:{"name":"registry"}`, …). */
  path: string[];
}

type Fields = Record<string, unknown>;

/** The foreign fields inside what `desired` sets, within the top-level fields in `scope`. */
export function findDrift(live: KubeObject, desired: KubeObject, fieldManager: string, scope: readonly string[]): Drift[] {
  const out: Drift[] = [];
  for (const e of live.metadata?.managedFields ?? []) {
    // Status is the controllers' own business.
    if (e.manager === fieldManager || e.subresource === 'status' || !e.manager) continue;
    const fields = (e.fieldsV1 ?? {}) as Fields;
    for (const top of scope) {
      const node = fields[`f:${top}`];
      const want = (desired as Record<string, unknown>)[top];
      if (!isFields(node) || want === undefined || isOpenMap([`f:${top}`])) continue;
      walk(node, want, [`f:${top}`], (path) => out.push({ manager: e.manager ?? '', path }));
    }
  }
  return out;
}

function walk(node: Fields, want: unknown, path: string[], found: (path: string[]) => void): void {
  for (const [key, sub] of Object.entries(node)) {
    if (key === '.') continue;
    const at = [...path, key];
    if (isOpenMap(at)) continue;
    const child = lookup(want, key);
    if (child === undefined) found(at);
    else if (isFields(sub) && Object.keys(sub).some((k) => k !== '.')) walk(sub, child, at, found);
  }
}

/** labels and annotations (of the object or a pod template), and a ConfigMap's or Secret's data. */
function isOpenMap(path: string[]): boolean {
  const last = path.at(-1);
  if ((last === 'f:labels' || last === 'f:annotations') && path.at(-2) === 'f:metadata') return true;
  return path.length === 1 && (last === 'f:data' || last === 'f:binaryData' || last === 'f:stringData');
}

function isFields(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value a fieldsV1 key names inside `value`, or undefined. */
function lookup(value: unknown, key: string): unknown {
  const i = indexOf(value, key);
  if (i === undefined) return undefined;
  return typeof i === 'string' ? (value as Record<string, unknown>)[i] : (value as unknown[])[i];
}

/** The property name (f:) or array index (k:, v:, i:) a fieldsV1 key names inside `value`. */
function indexOf(value: unknown, key: string): string | number | undefined {
  const kind = key.slice(0, 2);
  const rest = key.slice(2);
  if (kind === 'f:') return isFields(value) && value[rest] !== undefined ? rest : undefined;
  if (!Array.isArray(value)) return undefined;
  if (kind === 'i:') return Number(rest) < value.length ? Number(rest) : undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(rest);
  } catch {
    return undefined;
  }
  const i =
    kind === 'k:'
      ? // A key field the desired element leaves out is the server's default (protocol TCP): it matches.
        value.findIndex((el) => isFields(el) && isFields(parsed) && Object.entries(parsed).every(([k, v]) => el[k] === undefined || el[k] === v))
      : kind === 'v:'
        ? value.findIndex((el) => JSON.stringify(el) === JSON.stringify(parsed))
        : -1;
  return i < 0 ? undefined : i;
}

/**
 * A full replacement (PUT) of `live` without the drifted fields, and without the foreign managers'
 * claims on them, so that afterwards this app is the only owner of what it renders and later applies
 * stay no-ops. Everything else (co-owners' annotations, injected data) is kept. The resourceVersion is
 * kept: a concurrent change makes the PUT fail with a conflict and the reconcile retry.
 */
export function withoutDrift<T extends KubeObject>(live: T, drift: readonly Drift[]): T {
  const out = structuredClone(live) as T;
  for (const d of drift) removeAt(out, d.path);
  const managedFields: ManagedFieldsEntry[] = [];
  for (const e of live.metadata?.managedFields ?? []) {
    const mine = drift.filter((d) => d.manager === e.manager);
    if (mine.length === 0 || e.subresource === 'status') {
      managedFields.push(e);
      continue;
    }
    const fields = structuredClone((e.fieldsV1 ?? {}) as Fields);
    for (const d of mine) pruneFields(fields, d.path);
    if (Object.keys(fields).length > 0) managedFields.push({ ...e, fieldsV1: fields });
  }
  out.metadata = { ...out.metadata, managedFields };
  return out;
}

function removeAt(obj: unknown, path: string[]): void {
  let parent: unknown = obj;
  for (const key of path.slice(0, -1)) {
    parent = lookup(parent, key);
    if (parent === undefined) return;
  }
  const last = path.at(-1) ?? '';
  const i = indexOf(parent, last);
  if (typeof i === 'string') delete (parent as Record<string, unknown>)[i];
  else if (typeof i === 'number') (parent as unknown[]).splice(i, 1);
}

/** Deletes the node at `path` from a fieldsV1 tree, and the parents it leaves empty. */
function pruneFields(fields: Fields, path: string[]): void {
  const [head, ...rest] = path;
  if (head === undefined || !(head in fields)) return;
  if (rest.length === 0) {
    delete fields[head];
    return;
  }
  const sub = fields[head];
  if (!isFields(sub)) return;
  pruneFields(sub, rest);
  if (Object.keys(sub).length === 0) delete fields[head];
}
