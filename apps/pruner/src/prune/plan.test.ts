import { describe, expect, it } from 'vitest';
import { invalidRepositoryName, planPrune, type ScannedTag } from './plan.ts';

const now = new Date('2026-01-10T00:00:00Z');
const day = 24 * 3600 * 1000;
const rules = { keepTagRevisions: 3, keepYoungerThanMs: 3600 * 1000, now };

function tag(name: string, daysOld: number, blobs: string[], digest = `sha256:m-${name}`): ScannedTag {
  return {
    tag: name,
    digest,
    created: new Date(now.getTime() - daysOld * day),
    size: 100,
    references: blobs.map((b) => ({ digest: b, size: 1000 })),
  };
}

describe('planPrune', () => {
  it('keeps the newest keepTagRevisions tags of each repository and deletes the rest by digest', () => {
    const tags = [1, 2, 3, 4, 5, 6].map((i) => tag(`v${i}`, 10 - i, ['sha256:base', `sha256:u${i}`]));
    const plan = planPrune([{ name: 'team/app', tags }], rules);
    expect(plan.repositories[0]?.keep).toEqual(['v4', 'v5', 'v6']);
    expect(plan.repositories[0]?.delete.map((d) => d.tags)).toEqual([['v3'], ['v2'], ['v1']]);
    // The shared layer stays; the deleted manifests and their unique layers are reclaimable.
    expect([...plan.reclaimable.keys()].sort()).toEqual(
      ['sha256:m-v1', 'sha256:m-v2', 'sha256:m-v3', 'sha256:u1', 'sha256:u2', 'sha256:u3'].sort(),
    );
  });

  it('keeps every tag younger than keepYoungerThan, beyond keepTagRevisions', () => {
    const newest = { ...tag('n1', 0, []), created: new Date(now.getTime() - 10_000) };
    const young = { ...tag('fresh', 0, []), created: new Date(now.getTime() - 30 * 60_000) };
    const plan = planPrune([{ name: 'a', tags: [newest, tag('n2', 2, []), young, tag('old', 30, [])] }], { ...rules, keepTagRevisions: 1 });
    expect(plan.repositories[0]?.keep).toEqual(['fresh', 'n1'].sort());
    expect(plan.repositories[0]?.delete.flatMap((d) => d.tags).sort()).toEqual(['n2', 'old']);
  });

  it('never deletes a digest that a kept tag also points at', () => {
    const shared = 'sha256:same';
    const plan = planPrune([{ name: 'a', tags: [tag('new', 1, [], shared), tag('old', 9, [], shared)] }], { ...rules, keepTagRevisions: 1 });
    expect(plan.repositories[0]?.delete).toEqual([]);
  });

  it('never deletes a manifest that a kept index lists', () => {
    const child = tag('child', 9, ['sha256:layer'], 'sha256:child');
    const index: ScannedTag = { ...tag('multi', 1, []), references: [{ digest: 'sha256:child', size: 10 }] };
    const plan = planPrune([{ name: 'a', tags: [index, child] }], { ...rules, keepTagRevisions: 1 });
    expect(plan.repositories[0]?.delete).toEqual([]);
  });

  it('keeps a blob that a kept manifest in another repository uses', () => {
    const plan = planPrune(
      [
        { name: 'a', tags: [tag('new', 1, []), tag('old', 9, ['sha256:shared'])] },
        { name: 'b', tags: [tag('only', 1, ['sha256:shared'], 'sha256:b-only')] },
      ],
      { ...rules, keepTagRevisions: 1 },
    );
    expect(plan.reclaimable.has('sha256:shared')).toBe(false);
    expect(plan.reclaimable.has('sha256:m-old')).toBe(true);
  });

  it('keeps invalid references and lists them', () => {
    const plan = planPrune([{ name: 'a', tags: [{ tag: 'broken', invalid: 'manifest a:broken is not JSON' }, tag('v1', 30, [])] }], { ...rules, keepTagRevisions: 0 });
    expect(plan.repositories[0]?.keep).toEqual(['broken']);
    expect(plan.invalid).toEqual([{ reference: 'a:broken', reason: 'manifest a:broken is not JSON' }]);
    expect(plan.repositories[0]?.delete.map((d) => d.tags)).toEqual([['v1']]);
  });

  it('sorts tags without a creation time as the oldest', () => {
    const unknown: ScannedTag = { ...tag('unknown', 0, []), created: undefined };
    const plan = planPrune([{ name: 'a', tags: [unknown, tag('dated', 5, [])] }], { ...rules, keepTagRevisions: 1 });
    expect(plan.repositories[0]?.keep).toEqual(['dated']);
  });

  it('recognises invalid repository names', () => {
    expect(invalidRepositoryName('team/app')).toBeUndefined();
    expect(invalidRepositoryName('Team/App')).toMatch(/not a valid reference/);
    expect(invalidRepositoryName('../etc')).toMatch(/not a valid reference/);
  });
});
