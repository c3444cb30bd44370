import { describe, expect, it } from 'vitest';
import { ObservedState } from './observed.ts';

describe('ObservedState', () => {
  it('is unknown until hosts and key IDs are both known, and tells listeners of changes only', () => {
    const o = new ObservedState();
    let changes = 0;
    o.onChange(() => changes++);
    expect(o.current()).toBeUndefined();
    o.update({ hosts: ['a:5000'], keyIds: ['k1'] });
    expect(o.current()).toMatchObject({ hosts: ['a:5000'], keyIds: ['k1'] });
    expect(o.update({ hosts: ['a:5000'], keyIds: ['k1'] })).toBe(false);
    expect(changes).toBe(1);
  });
  it('accepts the key ID of a freshly minted token the published keys lag behind, once', () => {
    const o = new ObservedState();
    let changes = 0;
    o.update({ hosts: ['a:5000'], keyIds: ['old'] });
    o.onChange(() => changes++);
    o.sawMintedKid('new');
    o.sawMintedKid('new');
    expect(o.current()?.keyIds).toEqual(['new', 'old']);
    expect(changes).toBe(1);
    o.sawMintedKid('old');
    expect(changes).toBe(1);
    // New published keys: the minted one no longer counts until a token shows it again.
    o.update({ keyIds: ['newer'] });
    expect(o.current()?.keyIds).toEqual(['newer']);
  });
});
