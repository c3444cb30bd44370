import { describe, expect, it } from 'vitest';
import { injectPatch, removePatch } from './service-account.ts';

const ref = 'openshift.io/internal-registry-pull-secret-ref';
const sa = (annotation?: string, pulls: string[] = []) => ({
  metadata: { name: 'sa', namespace: 'ns', resourceVersion: '7', ...(annotation ? { annotations: { [ref]: annotation } } : {}) },
  imagePullSecrets: pulls.map((name) => ({ name })),
});

describe('injectPatch', () => {
  it('adds the annotation and appends the entry after everyone else’s, under the resourceVersion', () => {
    expect(injectPatch(sa(undefined, ['mine', 'theirs']), 'sa-dockercfg-x')).toEqual({
      metadata: { resourceVersion: '7', annotations: { [ref]: 'sa-dockercfg-x' } },
      imagePullSecrets: [{ name: 'mine' }, { name: 'theirs' }, { name: 'sa-dockercfg-x' }],
    });
  });
  it('is undefined when both are there, and touches only what is missing', () => {
    expect(injectPatch(sa('x', ['a', 'x']), 'x')).toBeUndefined();
    expect(injectPatch(sa('x', ['a']), 'x')).toEqual({ metadata: { resourceVersion: '7' }, imagePullSecrets: [{ name: 'a' }, { name: 'x' }] });
  });
});

describe('removePatch', () => {
  it('drops only our entry', () => {
    expect(removePatch(sa('x', ['a', 'x', 'b']), 'x')).toEqual({ metadata: { resourceVersion: '7' }, imagePullSecrets: [{ name: 'a' }, { name: 'b' }] });
    expect(removePatch(sa('x', ['a']), 'x')).toBeUndefined();
  });
});
