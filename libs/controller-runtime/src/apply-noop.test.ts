import { describe, expect, it } from 'vitest';
import { applyIsNoop } from './apply-noop.ts';
import type { KubeObject, ManagedFieldsEntry } from './objects.ts';

const me = 'image-registry-operator/test';

function entry(fieldsV1: Record<string, unknown>, extra: Partial<ManagedFieldsEntry> = {}): ManagedFieldsEntry {
  return { manager: me, operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1, ...extra };
}

const desiredCm = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', namespace: 'ns', labels: { app: 'x' } },
  data: { a: '1', b: '2' },
};

const cmFields = {
  'f:data': { '.': {}, 'f:a': {}, 'f:b': {} },
  'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
};

function currentCm(over: { data?: Record<string, string>; labels?: Record<string, string>; managed?: ManagedFieldsEntry[] } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'c',
      namespace: 'ns',
      uid: 'u1',
      resourceVersion: '7',
      labels: over.labels ?? { app: 'x', 'added-by': 'someone-else' },
      managedFields: over.managed ?? [entry(cmFields), { manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:added-by': {} } } } }],
    },
    data: over.data ?? { a: '1', b: '2' },
  } as KubeObject;
}

describe('applyIsNoop', () => {
  it('skips when every desired field is ours and already has the desired value', () => {
    expect(applyIsNoop(desiredCm, currentCm(), me)).toBe(true);
  });

  it('applies when a value differs (someone edited it)', () => {
    expect(applyIsNoop(desiredCm, currentCm({ data: { a: '1', b: 'edited' } }), me)).toBe(false);
  });

  it('applies when another manager took a field over (kubectl edit moves ownership)', () => {
    const managed = [entry({ 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } })];
    expect(applyIsNoop(desiredCm, currentCm({ managed }), me)).toBe(false);
  });

  it('applies when we own a field the desired object no longer has (the apply removes it)', () => {
    const managed = [entry({ ...cmFields, 'f:data': { 'f:a': {}, 'f:b': {}, 'f:old': {} } })];
    expect(applyIsNoop(desiredCm, currentCm({ data: { a: '1', b: '2', old: 'x' }, managed }), me)).toBe(false);
  });

  it('applies when the object has never been applied by this manager', () => {
    const managed = [{ ...entry(cmFields), manager: 'someone-else' }];
    expect(applyIsNoop(desiredCm, currentCm({ managed }), me)).toBe(false);
    expect(applyIsNoop(desiredCm, undefined, me)).toBe(false);
  });

  it('applies when our last apply used another apiVersion', () => {
    const managed = [entry(cmFields, { apiVersion: 'v2' })];
    expect(applyIsNoop(desiredCm, currentCm({ managed }), me)).toBe(false);
  });

  it('applies to an object that is being deleted', () => {
    const cur = currentCm();
    cur.metadata = { ...cur.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' };
    expect(applyIsNoop(desiredCm, cur, me)).toBe(false);
  });

  it('uses only the status entry for a status apply, and only the main entry for a main apply', () => {
    const desired = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' }, status: { phase: 'Ready' } };
    const statusEntry = entry({ 'f:status': { 'f:phase': {} } }, { subresource: 'status' });
    const cur = { ...currentCm({ managed: [entry(cmFields), statusEntry] }), status: { phase: 'Ready' } };
    expect(applyIsNoop(desired, cur, me, 'status')).toBe(true);
    expect(applyIsNoop(desired, cur, me)).toBe(false);
    expect(applyIsNoop(desired, { ...cur, status: { phase: 'Pending' } } as KubeObject, me, 'status')).toBe(false);
  });

  describe('lists', () => {
    const containerKey = 'k:{"name":"registry"}';
    const deploymentFields = {
      'f:spec': {
        'f:template': {
          'f:spec': {
            'f:containers': { [containerKey]: { '.': {}, 'f:name': {}, 'f:image': {}, 'f:args': {} } },
          },
        },
      },
      'f:metadata': { 'f:finalizers': { '.': {}, 'v:"example.com/cleanup"': {} } },
    };
    const desired = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ns', finalizers: ['example.com/cleanup'] },
      spec: { template: { spec: { containers: [{ name: 'registry', image: 'img:1', args: ['a', 'b'] }] } } },
    };
    const current = (containers: unknown[], finalizers = ['example.com/cleanup'], fields: Record<string, unknown> = deploymentFields) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'ns', finalizers, managedFields: [entry(fields, { apiVersion: 'apps/v1' })] },
      spec: { replicas: 1, template: { spec: { restartPolicy: 'Always', containers } } },
    });
    const defaulted = { name: 'registry', image: 'img:1', args: ['a', 'b'], imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' };

    it('ignores fields the server defaulted inside keyed list items', () => {
      expect(applyIsNoop(desired, current([defaulted]), me)).toBe(true);
    });

    it('ignores items of a keyed list that other managers own', () => {
      expect(applyIsNoop(desired, current([{ name: 'sidecar', image: 'x' }, defaulted]), me)).toBe(true);
    });

    it('applies when a keyed item we own is gone or changed', () => {
      expect(applyIsNoop(desired, current([{ name: 'sidecar', image: 'x' }]), me)).toBe(false);
      expect(applyIsNoop(desired, current([{ ...defaulted, image: 'img:2' }]), me)).toBe(false);
    });

    it('compares an atomic list whole, element by element', () => {
      expect(applyIsNoop(desired, current([{ ...defaulted, args: ['a'] }]), me)).toBe(false);
      expect(applyIsNoop(desired, current([{ ...defaulted, args: ['b', 'a'] }]), me)).toBe(false);
    });

    it('applies when we own a keyed item the desired list dropped', () => {
      const fields = structuredClone(deploymentFields);
      (fields['f:spec']['f:template']['f:spec']['f:containers'] as Record<string, unknown>)['k:{"name":"old"}'] = { 'f:name': {} };
      expect(applyIsNoop(desired, current([defaulted, { name: 'old' }], undefined, fields), me)).toBe(false);
    });

    it('checks set lists by value', () => {
      expect(applyIsNoop(desired, current([defaulted], ['other/finalizer', 'example.com/cleanup']), me)).toBe(true);
      expect(applyIsNoop(desired, current([defaulted], ['other/finalizer']), me)).toBe(false);
    });
  });

  it('skips an empty list or map the server dropped, whether or not it recorded the field as ours', () => {
    const desired = { ...desiredCm, spec: { tolerations: [], selector: {} } } as KubeObject;
    expect(applyIsNoop(desired, currentCm(), me)).toBe(true);
    const recorded = currentCm({ managed: [entry({ ...cmFields, 'f:spec': { 'f:tolerations': {}, 'f:selector': {} } })] });
    expect(applyIsNoop(desired, recorded, me)).toBe(true);
    // Not empty in the cluster: the apply would change it.
    const withToleration = { ...currentCm(), spec: { tolerations: [{ key: 'k' }] } } as KubeObject;
    expect(applyIsNoop({ ...desiredCm, spec: { tolerations: [] } } as KubeObject, withToleration, me)).toBe(false);
  });

  it('never skips a desired null (its meaning is for the server to decide)', () => {
    const desired = { ...desiredCm, data: { a: null } } as unknown as KubeObject;
    expect(applyIsNoop(desired, currentCm(), me)).toBe(false);
  });
});
