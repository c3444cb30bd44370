import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { azureAccountName, deterministicStorageName, randomStorageName, type RandomInt } from './names.ts';

const first: RandomInt = () => 0;

describe('deterministicStorageName', () => {
  it('joins the infrastructure name, image-registry and the region', () => {
    expect(deterministicStorageName('my-cluster-abc12', 'us-east-1')).toBe(
      'my-cluster-abc12-image-registry-us-east-1',
    );
  });

  it('collapses repeated dashes, drops empty parts and lowercases', () => {
    expect(deterministicStorageName('My--Cluster-', '', 'EU-West-1')).toBe(
      'my-cluster-image-registry-eu-west-1',
    );
  });

  it('truncates to 62 characters and replaces a trailing dash with s', () => {
    const infra = 'a'.repeat(44);
    // 44 + "-image-registry-" (16) = 60, then "xy-..." would cut at 62 after "xy"
    expect(deterministicStorageName(infra, 'x-yz')).toBe(`${infra}-image-registry-xs`);
    expect(deterministicStorageName(infra, 'x-yz')).toHaveLength(62);
  });

  it('is stable', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9-]{1,80}$/),
        fc.stringMatching(/^[a-z0-9-]{0,20}$/),
        (infra, region) => {
          const name = deterministicStorageName(infra, region);
          expect(name).toBe(deterministicStorageName(infra, region));
          expect(name.length).toBeLessThanOrEqual(62);
          expect(name).not.toMatch(/--|-$/);
        },
      ),
    );
  });
});

describe('randomStorageName', () => {
  it('pads a short name with a dash and random letters to exactly 62 characters', () => {
    const name = randomStorageName('my-cluster-abc12', ['us-central1'], first);
    expect(name).toBe(`my-cluster-abc12-image-registry-us-central1-${'a'.repeat(62 - 44)}`);
    expect(name).toHaveLength(62);
  });

  it('appends one letter without a dash when the name is 61 characters', () => {
    const infra = 'b'.repeat(61 - '-image-registry'.length);
    expect(randomStorageName(infra, [], first)).toBe(`${infra}-image-registrya`);
  });

  it('truncates a long name and replaces a trailing dash with a random letter', () => {
    const infra = 'c'.repeat(46); // 46 + 15 = 61 chars before "-" + part
    expect(randomStorageName(infra, ['region'], () => 3)).toBe(`${infra}-image-registryd`.slice(0, 62));
  });

  it('always yields 62 lowercase characters without a double or trailing dash', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,70}$/),
        fc.stringMatching(/^[a-z0-9-]{0,20}$/),
        (infra, part) => {
          const name = randomStorageName(infra, [part]);
          expect(name).toHaveLength(62);
          expect(name).toBe(name.toLowerCase());
          expect(name).not.toMatch(/--|-$/);
        },
      ),
    );
  });

  it('draws different names on different calls', () => {
    expect(randomStorageName('infra', [])).not.toBe(randomStorageName('infra', []));
  });
});

describe('azureAccountName', () => {
  it('is imageregistry plus the alphanumeric infrastructure name, cut to 19, plus 5 random characters', () => {
    expect(azureAccountName('my-cluster-abc12', first)).toBe('imageregistrymyclusbbbbb');
    expect(azureAccountName('ab', first)).toBe('imageregistryabbbbbb');
  });

  it('is a valid storage account name for any infrastructure name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (infra) => {
        expect(azureAccountName(infra)).toMatch(/^[0-9a-z]{18,24}$/);
      }),
    );
  });
});
