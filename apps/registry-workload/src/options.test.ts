import { OptionsError } from '@image-registry/controller-runtime';
import { describe, expect, it } from 'vitest';
import { parseWorkloadFlags } from './options.ts';

describe('parseWorkloadFlags', () => {
  it('defaults to automatic choices', () => {
    expect(parseWorkloadFlags({})).toEqual({ flavour: 'auto', image: undefined, servingCert: 'auto', releaseVersion: undefined });
  });

  it('takes an explicit flavour, image and release version', () => {
    expect(
      parseWorkloadFlags({ 'registry-flavour': 'openshift', 'registry-image': 'quay.io/x/y:1', 'serving-cert': 'self-signed', 'release-version': '4.20.0' }),
    ).toEqual({ flavour: 'openshift', image: 'quay.io/x/y:1', servingCert: 'self-signed', releaseVersion: '4.20.0' });
  });

  it('takes the registry-auth image for the distribution flavour', () => {
    expect(parseWorkloadFlags({ 'registry-auth-image': 'example.test/registry-auth:1' }).authImage).toBe('example.test/registry-auth:1');
  });

  it('names the flag of an unknown value', () => {
    expect(() => parseWorkloadFlags({ 'registry-flavour': 'harbor' })).toThrow(OptionsError);
    expect(() => parseWorkloadFlags({ 'registry-flavour': 'harbor' })).toThrow(/--registry-flavour/);
    expect(() => parseWorkloadFlags({ 'serving-cert': 'acme' })).toThrow(/--serving-cert/);
  });
});
