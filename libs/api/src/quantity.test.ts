import { describe, expect, it } from 'vitest';
import { canonicalQuantity, canonicalResources } from './quantity.ts';

// Expected values are what the API server stores (apps/pruner/test/quantities.int.test.ts checks the function there).
const quantityCases: [string | number, string][] = [
  ['100m', '100m'],
  ['0.5', '500m'],
  ['.5', '500m'],
  ['1', '1'],
  [1, '1'],
  ['1.0', '1'],
  ['100', '100'],
  ['1000', '1k'],
  ['1500m', '1500m'],
  ['2000m', '2'],
  ['0.1m', '100u'],
  ['0.0000000001', '1n'],
  ['256Mi', '256Mi'],
  ['1024Mi', '1Gi'],
  ['1.5Gi', '1536Mi'],
  ['0.5Ki', '512'],
  ['1Ki', '1Ki'],
  ['1536', '1536'],
  ['1G', '1G'],
  ['1000M', '1G'],
  ['1e3', '1e3'],
  ['1.5e3', '1500'],
  ['1E6', '1E6'],
  ['1.5E3', '1500'],
  ['0', '0'],
  ['0Mi', '0'],
];

describe('canonicalQuantity', () => {
  it.each(quantityCases)('%s → %s', (input, want) => {
    expect(canonicalQuantity(input)).toBe(want);
  });

  it('rounds up to a thousandth for a container resource, as the server defaults a ResourceList', () => {
    expect(canonicalQuantity('0.1m', { precision: 'milli' })).toBe('1m');
    expect(canonicalQuantity('1500u', { precision: 'milli' })).toBe('2m');
    expect(canonicalQuantity('0.5', { precision: 'milli' })).toBe('500m');
  });

  it('leaves what it cannot parse to the server', () => {
    expect(canonicalQuantity('lots')).toBe('lots');
  });

  it('canonicalises the requests and limits of a container resources, nothing else', () => {
    const claims = [{ name: 'gpu' }];
    expect(canonicalResources({ requests: { cpu: '0.5', memory: '1024Mi' }, limits: { cpu: 1 }, claims })).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '1' },
      claims,
    });
    expect(canonicalResources({})).toEqual({});
  });
});
