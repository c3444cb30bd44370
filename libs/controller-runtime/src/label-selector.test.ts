import { describe, expect, it } from 'vitest';
import { LabelSelectorError, parseLabelSelector } from './label-selector.ts';

describe('parseLabelSelector', () => {
  const labels = { app: 'registry', tier: 'web', canary: '' };
  it.each([
    ['app=registry', true],
    ['app==registry', true],
    ['app!=registry', false],
    ['app=registry,tier=db', false],
    ['tier in (web, db)', true],
    ['tier notin (web)', false],
    ['missing notin (x)', true],
    ['canary', true],
    ['!canary', false],
    ['!missing', true],
    ['', true],
  ])('%s → %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it('rejects syntax it does not understand', () => {
    expect(() => parseLabelSelector('a>1')).toThrow(LabelSelectorError);
  });
});
