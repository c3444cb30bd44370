import { describe, expect, it } from 'vitest';
import { parsePruneOptions, PruneOptionsError } from './options.ts';

const url = '--registry-url=https://image-registry.openshift-image-registry.svc:5000';

describe('prune flags', () => {
  it("takes the CronJob's flags, oc's spelling", () => {
    const o = parsePruneOptions(
      ['--confirm=true', '--certificate-authority=/ca.crt', '--keep-tag-revisions=5', '--keep-younger-than=1h30m0s', '--ignore-invalid-refs=true', '--loglevel=4', '--prune-registry=true', url, '--namespace=ns'],
      {},
    );
    expect(o).toMatchObject({ confirm: true, certificateAuthority: '/ca.crt', keepTagRevisions: 5, keepYoungerThanMs: 90 * 60 * 1000, ignoreInvalidRefs: true, logLevel: 4, namespace: 'ns' });
  });

  it('is a dry run unless confirmed, and --dry-run wins', () => {
    expect(parsePruneOptions([url], {}).confirm).toBe(false);
    expect(parsePruneOptions([url, '--confirm=true', '--dry-run'], {}).confirm).toBe(false);
  });

  it('names the flag it cannot take', () => {
    expect(() => parsePruneOptions([url, '--keep-tag-revisions=-1'], {})).toThrow(/--keep-tag-revisions/);
    expect(() => parsePruneOptions([url, '--keep-younger-than=soon'], {})).toThrow(/--keep-younger-than/);
    expect(() => parsePruneOptions(['--prune-registry=true'], {})).toThrow(PruneOptionsError);
    expect(() => parsePruneOptions([url, '--registry-url=https://host/path'], {})).toThrow(/http\(s\):\/\/host/);
    expect(() => parsePruneOptions([url, '--frobnicate'], {})).toThrow(/unknown flag --frobnicate/);
  });

  it('needs no registry URL when the registry is not pruned', () => {
    expect(parsePruneOptions(['--prune-registry=false'], {}).pruneRegistry).toBe(false);
  });
});
