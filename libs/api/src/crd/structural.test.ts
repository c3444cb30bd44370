import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { structuralProblems } from './structural.ts';
import { toCrdSchema } from './json-schema.ts';
import { intOrString, mapList, quantity, rawObject } from '../schema/k8s.ts';

describe('structuralProblems', () => {
  it('accepts what the API server accepts', () => {
    const schema = toCrdSchema(
      z.object({
        port: intOrString(),
        cpu: quantity(),
        extra: z.optional(rawObject()),
        items: z.optional(mapList(z.object({ type: z.string() }), ['type'])),
        labels: z.optional(z.record(z.string(), z.string())),
      }),
    );
    expect(structuralProblems(schema)).toEqual([]);
  });

  it('names every node the API server would refuse', () => {
    const problems = structuralProblems({
      type: 'object',
      properties: {
        untyped: {},
        constant: { type: 'string', const: 'x' },
        both: {
          type: 'object',
          properties: { a: { type: 'string' } },
          additionalProperties: { type: 'string' },
        },
        list: { type: 'array' },
        union: { anyOf: [{ type: 'string' }, { type: 'boolean' }] },
        keyed: {
          type: 'array',
          items: { type: 'object', properties: { id: { type: 'string' } } },
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['id'],
        },
      },
      required: ['missing'],
    });
    expect(problems).toEqual([
      '.untyped: every node needs a type',
      '.constant: keyword const is not allowed in a CRD schema',
      '.both: properties and additionalProperties exclude each other',
      '.list: arrays need items',
      '.union: every node needs a type',
      '.union: anyOf is only used for int-or-string',
      '.keyed: map key id must be a required or defaulted property of the items',
      '<root>: required field missing is not a property',
    ]);
  });
});

describe('toCrdSchema', () => {
  it('turns zod loose objects into preserve-unknown-fields objects', () => {
    expect(toCrdSchema(z.looseObject({ a: z.string() }))).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
      required: ['a'],
      'x-kubernetes-preserve-unknown-fields': true,
    });
  });

  it('drops the integer bounds zod adds implicitly but keeps the ones we set', () => {
    expect(toCrdSchema(z.int())).toEqual({ type: 'integer' });
    expect(toCrdSchema(z.int32().check(z.minimum(0), z.meta({ format: 'int32' })))).toEqual({
      type: 'integer',
      format: 'int32',
      minimum: 0,
    });
  });

  it('emits int-or-string the Kubernetes way, keeping a description given later', () => {
    expect(toCrdSchema(z.object({ p: intOrString().check(z.describe('port')) }))).toEqual({
      type: 'object',
      properties: {
        p: {
          anyOf: [{ type: 'integer' }, { type: 'string' }],
          'x-kubernetes-int-or-string': true,
          description: 'port',
        },
      },
      required: ['p'],
    });
  });
});
