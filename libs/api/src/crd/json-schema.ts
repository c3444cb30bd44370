import * as z from 'zod/mini';
import { overrideFor } from '../schema/k8s.ts';

/** An OpenAPI v3 schema node as it appears in a CRD. */
export type JsonSchema = { [key: string]: unknown };

const int32Min = -2147483648;
const int32Max = 2147483647;

/**
 * Converts a zod schema into a CRD-ready OpenAPI v3 schema: zod's `openapi-3.0` input-side output,
 * with our overrides applied and zod's JSON-Schema habits rewritten to Kubernetes idioms (loose objects
 * become `x-kubernetes-preserve-unknown-fields`, implicit integer bounds and datetime patterns dropped).
 */
export function toCrdSchema(schema: z.core.$ZodType): JsonSchema {
  const raw = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'throw',
    cycles: 'throw',
    reused: 'inline',
    override: (ctx) => {
      const replacement = overrideFor(ctx.zodSchema);
      if (replacement === undefined) return;
      const json = ctx.jsonSchema as JsonSchema;
      const description = json['description'];
      for (const key of Object.keys(json)) delete json[key];
      Object.assign(json, structuredClone(replacement));
      if (description !== undefined) json['description'] = description;
    },
  });
  return normalise(raw as JsonSchema);
}

function normalise(node: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...node };
  delete out['$schema'];

  const properties = out['properties'] as Record<string, JsonSchema> | undefined;
  if (properties !== undefined) {
    out['properties'] = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, normalise(v)]));
    if (Object.keys(properties).length === 0) delete out['properties'];
  }
  const additional = out['additionalProperties'];
  if (additional === false) delete out['additionalProperties'];
  else if (additional === true || (isObject(additional) && Object.keys(additional).length === 0)) {
    // zod's looseObject: keep what we do not describe.
    delete out['additionalProperties'];
    out['x-kubernetes-preserve-unknown-fields'] = true;
  } else if (isObject(additional)) {
    out['additionalProperties'] = normalise(additional);
  }
  if (isObject(out['items'])) out['items'] = normalise(out['items']);
  if (Array.isArray(out['anyOf'])) out['anyOf'] = out['anyOf'].map((s: JsonSchema) => normalise(s));

  if (Array.isArray(out['required'])) {
    const required = [...new Set(out['required'] as string[])].sort();
    if (required.length === 0) delete out['required'];
    else out['required'] = required;
  }

  if (out['type'] === 'integer') dropImplicitBounds(out);
  // zod adds a regex for ISO datetimes; the date-time format already says it and is what Kubernetes checks.
  if (out['format'] === 'date-time') delete out['pattern'];
  return out;
}

function dropImplicitBounds(node: JsonSchema): void {
  const min = node['minimum'];
  const max = node['maximum'];
  if (node['format'] === 'int32') {
    if (min === int32Min) delete node['minimum'];
    if (max === int32Max) delete node['maximum'];
  } else {
    if (min === Number.MIN_SAFE_INTEGER) delete node['minimum'];
    if (max === Number.MAX_SAFE_INTEGER) delete node['maximum'];
  }
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
