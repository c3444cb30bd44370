import { describe, expect, it } from 'vitest';
import { docsCases, mergePatch } from '../test/fixtures/docs.ts';
import { baseConfigSpec, invalidObjects, invalidStatuses, object } from '../test/fixtures/objects.ts';
import type { Kind } from '../test/fixtures/objects.ts';
import {
  parseClusterOperator,
  parseConfig,
  parseImage,
  parseImagePruner,
  parseInfrastructure,
  parseProxy,
  parseRoute,
} from './parse.ts';
import type { ParseResult } from './parse.ts';

const parsers: Record<Kind, (value: unknown) => ParseResult<unknown>> = {
  Config: parseConfig,
  ImagePruner: parseImagePruner,
  Image: parseImage,
  Route: parseRoute,
  ClusterOperator: parseClusterOperator,
  Infrastructure: parseInfrastructure,
  Proxy: parseProxy,
};

function issuePaths(kind: Kind, value: unknown): string[] {
  const result = parsers[kind](value);
  return result.ok ? [] : result.error.issues.map((i) => i.path);
}

// The same objects go to the real API server in test/validation.int.test.ts; here the parser must agree.
describe('the parser rejects what the API server rejects, naming the field', () => {
  it('has at least 40 invalid objects to check', () => {
    expect(invalidObjects.length).toBeGreaterThanOrEqual(40);
  });

  it.each(invalidObjects)('$name → $field', ({ object: value, field }) => {
    expect(issuePaths(value['kind'] as Kind, value)).toContain(field);
  });

  it.each(invalidStatuses.filter((c) => c.serverOnly === undefined))(
    'status: $name → $field',
    ({ kind, status, field }) => {
      const spec = kind === 'Config' ? baseConfigSpec : {};
      expect(
        issuePaths(kind, {
          ...object(kind, spec, kind === 'ClusterOperator' ? 'image-registry' : 'cluster'),
          status,
        }),
      ).toContain(field);
    },
  );
});

describe('the parser accepts the configuration the OpenShift documentation shows', () => {
  it.each(docsCases)('$name', ({ kind, base, patch }) => {
    const merged = mergePatch(object(kind, base), patch);
    const result = parsers[kind](merged);
    expect(result.ok ? [] : result.error.issues).toEqual([]);
  });
});
