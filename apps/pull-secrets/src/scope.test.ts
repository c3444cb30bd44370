import { describe, expect, it } from 'vitest';
import { modeOf } from './management.ts';
import { NamespaceScope } from './scope.ts';

describe('NamespaceScope', () => {
  const ns = (extra = {}) => ({ metadata: { name: 'x', ...extra } });
  it('ignores listed namespaces, and system ones when asked', () => {
    const s = new NamespaceScope({ ignoredNamespaces: ['skip'], ignoreSystemNamespaces: true, operandNamespace: 'registry' });
    expect(['skip', 'kube-system', 'openshift-config', 'registry'].map((n) => s.ignores(n))).toEqual([true, true, true, true]);
    expect(s.ignores('team')).toBe(false);
    const all = new NamespaceScope({ ignoredNamespaces: [], ignoreSystemNamespaces: false, operandNamespace: 'registry' });
    expect(all.ignores('kube-system')).toBe(false);
  });
  it('skips a namespace being deleted or not yet known', () => {
    const s = new NamespaceScope({ ignoredNamespaces: [], ignoreSystemNamespaces: false, operandNamespace: 'r' });
    expect(s.active('x', ns())).toBe(true);
    expect(s.active('x', ns({ deletionTimestamp: 'now' }))).toBe(false);
    expect(s.active('x', { metadata: { name: 'x' }, status: { phase: 'Terminating' } })).toBe(false);
    expect(s.active('x', undefined)).toBe(false);
  });
});

describe('modeOf', () => {
  it('follows the Config unless the flag says Removed', () => {
    expect(modeOf('Managed', undefined)).toBe('Managed');
    expect(modeOf('Managed', { spec: { managementState: 'Force' } })).toBe('Managed');
    expect(modeOf('Managed', { spec: { managementState: 'Removed' } })).toBe('Removed');
    expect(modeOf('Managed', { spec: { managementState: 'Unmanaged' } })).toBe('Unmanaged');
    expect(modeOf('Removed', { spec: { managementState: 'Managed' } })).toBe('Removed');
  });
});
