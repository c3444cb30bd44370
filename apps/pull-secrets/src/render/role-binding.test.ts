import { describe, expect, it } from 'vitest';
import { imagePullersUpToDate, renderImagePullers } from './role-binding.ts';

describe('system:image-pullers', () => {
  it('grants system:image-puller to the namespace’s ServiceAccounts group', () => {
    const rb = renderImagePullers('team-a');
    expect(rb.metadata).toMatchObject({ name: 'system:image-pullers', namespace: 'team-a' });
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:image-puller' });
    expect(rb.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:serviceaccounts:team-a' }]);
  });
  it('is up to date whatever the key order the server sends, and not when a subject changed', () => {
    const desired = renderImagePullers('team-a');
    const served = {
      metadata: { ...desired.metadata, uid: 'u', resourceVersion: '1' },
      roleRef: { name: 'system:image-puller', kind: 'ClusterRole', apiGroup: 'rbac.authorization.k8s.io' },
      subjects: [{ name: 'system:serviceaccounts:team-a', kind: 'Group', apiGroup: 'rbac.authorization.k8s.io' }],
    };
    expect(imagePullersUpToDate(served, desired)).toBe(true);
    expect(imagePullersUpToDate({ ...served, subjects: [] }, desired)).toBe(false);
    expect(imagePullersUpToDate(undefined, desired)).toBe(false);
  });
});
