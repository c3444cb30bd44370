import * as z from 'zod/mini';

/**
 * Helpers that give zod schemas the Kubernetes meaning they need in a CRD: formats, list and map
 * semantics for server-side apply, CEL rules. Each helper changes the zod runtime check and the emitted
 * OpenAPI schema together, so the two cannot drift.
 */

/** A JSON schema fragment that replaces what zod would emit for a schema (see `jsonOverride`). */
export type JsonSchemaOverride = Record<string, unknown>;

const overrides = new WeakMap<z.core.$ZodType, JsonSchemaOverride>();

/** Emit exactly `json` for this schema in the CRD (for shapes zod cannot express, like int-or-string). */
export function jsonOverride<S extends z.core.$ZodType>(schema: S, json: JsonSchemaOverride): S {
  overrides.set(schema, json);
  return schema;
}

/** The override of this schema or of the schema it was cloned from (`.check(z.describe())` clones). */
export function overrideFor(schema: z.core.$ZodType): JsonSchemaOverride | undefined {
  for (let s: z.core.$ZodType | undefined = schema; s !== undefined; s = s._zod.parent) {
    const found = overrides.get(s);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A 32-bit integer, emitted with `format: int32` like Go's int32 fields. */
export function int32() {
  return z.int32().check(z.meta({ format: 'int32' }));
}

/** A 64-bit integer (as far as JSON numbers in JavaScript reach), emitted with `format: int64`. */
export function int64() {
  return z.int().check(z.meta({ format: 'int64' }));
}

/**
 * A timestamp, as Kubernetes writes `metav1.Time` (RFC 3339). The API server's date-time format also takes
 * a few ISO 8601 variants; parsing accepts whatever is a date, so an object the server stored always parses.
 */
export function timestamp() {
  return z.string().check(
    z.refine((s) => !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 time such as 2024-05-01T10:00:00Z'),
    z.meta({ format: 'date-time' }),
  );
}

/**
 * A Go duration (`90s`, `1h30m`). The API server's own `duration` format also accepts forms like `2d`
 * that Go's time.ParseDuration, and therefore every consumer of these fields, rejects; the pattern
 * refuses them at admission.
 */
export const goDurationPattern = /^[-+]?(0|([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h))+$/;
export function goDuration() {
  return z
    .string()
    .check(
      z.regex(goDurationPattern, 'must be a Go duration such as 90s, 30m or 1h30m'),
      z.meta({ format: 'duration' }),
    );
}

/** A DNS-1123 subdomain: what Kubernetes accepts as the name of most objects. */
export const dns1123SubdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export function objectName() {
  return z
    .string()
    .check(
      z.maxLength(253),
      z.regex(dns1123SubdomainPattern, 'must be a lowercase DNS-1123 subdomain such as my-name or my.name'),
    );
}

/** A string map (labels, node selectors). */
export function stringMap() {
  return z.record(z.string(), z.string());
}

/** Arbitrary JSON kept as is (`x-kubernetes-preserve-unknown-fields`), like Go's runtime.RawExtension. */
export function rawObject() {
  return z.looseObject({});
}

/** Quantity syntax of `resource.Quantity` (`500m`, `1Gi`, `1e3`). */
export const quantityPattern =
  /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/**
 * A resource quantity, written as a number or a string. Normalised to a string, the type
 * `@kubernetes/client-node` uses for quantities.
 */
export function quantity() {
  const schema = z.pipe(
    z.union([
      z.number(),
      z.string().check(z.regex(quantityPattern, 'must be a quantity such as 500m, 2 or 1Gi')),
    ]),
    z.transform((v: number | string) => String(v)),
  );
  return jsonOverride(schema, {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern: quantityPattern.source,
    'x-kubernetes-int-or-string': true,
  });
}

/** A port number or name (`IntOrString`). */
export function intOrString() {
  return jsonOverride(z.union([z.int(), z.string()]), {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    'x-kubernetes-int-or-string': true,
  });
}

/** Server-side apply replaces the whole list; no per-item ownership. */
export function atomicList<S extends z.core.$ZodType>(schema: S) {
  return z.array(schema).check(z.meta({ 'x-kubernetes-list-type': 'atomic' }));
}

/** Items are unique values and owned one by one. */
export function setList<S extends z.core.$ZodType>(schema: S) {
  return z.array(schema).check(z.meta({ 'x-kubernetes-list-type': 'set' }));
}

/**
 * Items are identified by `keys` and owned one by one, so two field managers can each own their own
 * entries (how every app writes only its own conditions). The API server rejects duplicate keys.
 */
export function mapList<S extends z.core.$ZodType>(schema: S, keys: readonly [string, ...string[]]) {
  const key = (item: unknown) => JSON.stringify(keys.map((k) => (item as Record<string, unknown>)[k]));
  return z.array(schema).check(
    (ctx) => {
      const seen = new Set<string>();
      ctx.value.forEach((item, index) => {
        const k = key(item);
        if (seen.has(k)) {
          // Reported on the repeated entry, as the API server does ("Duplicate value").
          ctx.issues.push({
            code: 'custom',
            input: item,
            path: [index],
            message: `duplicate entry: ${keys.join(', ')} must be unique`,
          });
        }
        seen.add(k);
      });
    },
    z.meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': [...keys] }),
  );
}

/** Server-side apply replaces the whole object. */
export function atomicMap<S extends z.ZodMiniType>(schema: S): S {
  return schema.check(z.meta({ 'x-kubernetes-map-type': 'atomic' }));
}

/** One CEL rule (`x-kubernetes-validations`) and, unless it compares with the old object, the same rule in TypeScript. */
export interface CelRule<T> {
  rule: string;
  message: string;
  /** Where the API server reports the error, relative to this node (`.name`, `.routes`). */
  fieldPath?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  /** The rule evaluated on a parsed value; true when valid. Omit only for transition rules (`oldSelf`). */
  check?: (self: T) => boolean;
}

interface CrdValidation {
  rule: string;
  message: string;
  fieldPath?: string;
  reason?: string;
}

/** Adds CEL rules to the CRD and their TypeScript twins to parsing. */
export function cel<S extends z.ZodMiniType>(schema: S, ...rules: CelRule<z.output<S>>[]): S {
  const refinements: z.core.$ZodCheck<z.output<S>>[] = [];
  for (const r of rules) {
    const check = r.check;
    if (check === undefined) continue;
    const path = r.fieldPath === undefined ? [] : r.fieldPath.split('.').filter((p) => p !== '');
    refinements.push(z.refine<z.output<S>>((v) => check(v), { message: r.message, path }));
  }
  // Rules of an earlier cel() on this schema stay: the list registered below replaces theirs.
  const registered = z.globalRegistry.get(schema)?.['x-kubernetes-validations'];
  const existing = (registered as CrdValidation[] | undefined) ?? [];
  const added = rules.map(({ rule, message, fieldPath, reason }) => ({
    rule,
    message,
    ...(fieldPath === undefined ? {} : { fieldPath }),
    ...(reason === undefined ? {} : { reason }),
  }));
  return schema.check(...refinements, z.meta({ 'x-kubernetes-validations': [...existing, ...added] }));
}

/** `has(self.x)` of CEL for a parsed object. */
export function has(value: object, key: string): boolean {
  return (value as Record<string, unknown>)[key] !== undefined;
}
