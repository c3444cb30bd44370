import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { yamlScalar } from './yaml-scalar.ts';

describe('yamlScalar', () => {
  it.each([
    ['my-bucket', 'my-bucket'],
    ['us-east-1', 'us-east-1'],
    ['https://minio.example.com:9000', 'https://minio.example.com:9000'],
    ['/var/run/secrets/cloud/credentials', '/var/run/secrets/cloud/credentials'],
    ['10', '"10"'],
    ['true', '"true"'],
    ['yes', '"yes"'],
    ['', '""'],
    ['1.5', '"1.5"'],
    ["# foo'bar\"baz", `'# foo''bar"baz'`],
    ['a: b', "'a: b'"],
  ])('encodes the string %j as %s', (input, expected) => {
    expect(yamlScalar(input)).toBe(expected);
  });

  it('encodes booleans and integers as YAML values', () => {
    expect(yamlScalar(true)).toBe('true');
    expect(yamlScalar(false)).toBe('false');
    expect(yamlScalar(10485760)).toBe('10485760');
  });

  it.each(['10', 'true', '', 'null', '0x1F', "it's", '# x', '- a', 'tab\there', '[a]'])(
    'round-trips %j through a YAML parser as the same string',
    (input) => {
      expect(parse(yamlScalar(input))).toBe(input);
    },
  );
});
