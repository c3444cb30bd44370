import type { JsonSchema } from './json-schema.ts';

/**
 * Checks the rules the API server enforces on CRD schemas ("structural schemas") before we ever send
 * one, so a mistake is reported with the path of the offending node rather than as a rejected apply.
 * The API server remains the final judge; the integration tests install every CRD.
 */
const allowedKeys = new Set([
  'description',
  'type',
  'format',
  'enum',
  'default',
  'nullable',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'items',
  'properties',
  'required',
  'additionalProperties',
  'anyOf',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
]);

const types = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

export function structuralProblems(schema: JsonSchema, path = ''): string[] {
  const problems: string[] = [];
  const at = path === '' ? '<root>' : path;
  for (const key of Object.keys(schema)) {
    if (!allowedKeys.has(key)) problems.push(`${at}: keyword ${key} is not allowed in a CRD schema`);
  }
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const type = schema['type'];
  if (type === undefined) {
    if (!intOrString && !preserve) problems.push(`${at}: every node needs a type`);
  } else if (typeof type !== 'string' || !types.has(type)) {
    problems.push(`${at}: type must be one of ${[...types].join(', ')}, got ${JSON.stringify(type)}`);
  }
  if (schema['anyOf'] !== undefined && !intOrString) {
    problems.push(`${at}: anyOf is only used for int-or-string`);
  }
  if (intOrString && type !== undefined) problems.push(`${at}: int-or-string nodes have no type`);
  if (schema['properties'] !== undefined && schema['additionalProperties'] !== undefined) {
    problems.push(`${at}: properties and additionalProperties exclude each other`);
  }
  if (type === 'array' && schema['items'] === undefined) problems.push(`${at}: arrays need items`);
  if (
    type !== 'object' &&
    (schema['properties'] !== undefined || schema['additionalProperties'] !== undefined)
  ) {
    problems.push(`${at}: properties need type object`);
  }

  const listType = schema['x-kubernetes-list-type'];
  if (listType !== undefined && type !== 'array')
    problems.push(`${at}: x-kubernetes-list-type needs type array`);
  if (listType === 'map') problems.push(...mapListProblems(schema, at));
  else if (schema['x-kubernetes-list-map-keys'] !== undefined) {
    problems.push(`${at}: x-kubernetes-list-map-keys needs x-kubernetes-list-type: map`);
  }

  const properties = schema['properties'] as Record<string, JsonSchema> | undefined;
  for (const [name, child] of Object.entries(properties ?? {}))
    problems.push(...structuralProblems(child, `${path}.${name}`));
  const required = schema['required'] as string[] | undefined;
  for (const name of required ?? []) {
    if (properties?.[name] === undefined) problems.push(`${at}: required field ${name} is not a property`);
  }
  const items = schema['items'] as JsonSchema | undefined;
  if (items !== undefined) problems.push(...structuralProblems(items, `${path}[]`));
  const additional = schema['additionalProperties'];
  if (typeof additional === 'object' && additional !== null) {
    problems.push(...structuralProblems(additional as JsonSchema, `${path}{}`));
  }
  return problems;
}

function mapListProblems(schema: JsonSchema, at: string): string[] {
  const keys = schema['x-kubernetes-list-map-keys'];
  if (!Array.isArray(keys) || keys.length === 0)
    return [`${at}: a map list needs x-kubernetes-list-map-keys`];
  const items = (schema['items'] ?? {}) as JsonSchema;
  const properties = (items['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((items['required'] as string[] | undefined) ?? []);
  return (keys as string[])
    .filter(
      (k) => properties[k] === undefined || (!required.has(k) && properties[k]['default'] === undefined),
    )
    .map((k) => `${at}: map key ${k} must be a required or defaulted property of the items`);
}
