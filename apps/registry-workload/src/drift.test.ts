import type { KubeObject } from '@image-registry/controller-runtime';
import { describe, expect, it } from 'vitest';
import { findDrift, withoutDrift } from './drift.ts';

const me = 'image-registry-operator/registry-workload';

type Entry = NonNullable<NonNullable<KubeObject['metadata']>['managedFields']>[number];

const desired = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'image-registry' },
  spec: {
    replicas: 1,
    template: {
      metadata: { annotations: { checksum: 'abc' } },
      spec: { containers: [{ name: 'registry', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 5000 }] }] },
    },
  },
};

function live(managedFields: Entry[]) {
  const d = structuredClone(desired) as typeof desired & { metadata: Record<string, unknown>; status: unknown };
  d.metadata = { name: 'image-registry', namespace: 'ns', resourceVersion: '7', managedFields };
  d.spec.template.metadata.annotations = { checksum: 'abc', 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } as never;
  d.spec.template.spec.containers[0]?.env.push({ name: 'FOO', value: 'BAR' });
  d.status = { replicas: 1 };
  return d;
}

const ours: Entry = { manager: me, operation: 'Apply', fieldsV1: { 'f:spec': { 'f:replicas': {} } } };
const kcmStatus: Entry = { manager: 'kube-controller-manager', operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': {} } };
const restart: Entry = {
  manager: 'kubectl-rollout',
  operation: 'Update',
  fieldsV1: { 'f:spec': { 'f:template': { 'f:metadata': { 'f:annotations': { 'f:kubectl.kubernetes.io/restartedAt': {} } } } } },
};
const userEnv: Entry = {
  manager: 'kubectl-edit',
  operation: 'Update',
  fieldsV1: {
    'f:spec': {
      'f:template': {
        'f:spec': {
          'f:containers': {
            'k:{"name":"registry"}': {
              'f:env': { 'k:{"name":"FOO"}': { '.': {}, 'f:name': {}, 'f:value': {} }, 'k:{"name":"A"}': { 'f:value': {} } },
              // the same port as ours, co-owned: not drift
              'f:ports': { 'k:{"containerPort":5000,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
            },
          },
        },
      },
    },
  },
};
const scaled: Entry = { manager: 'kubectl', operation: 'Update', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } };

describe('drift', () => {
  it('is a foreign field inside a path the desired object sets: an added env var', () => {
    expect(findDrift(live([ours, kcmStatus, restart, userEnv, scaled]), desired, me, ['spec'])).toEqual([
      { manager: 'kubectl-edit', path: ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"registry"}', 'f:env', 'k:{"name":"FOO"}'] },
    ]);
  });

  it("is not kubectl rollout restart's annotation, a co-owned field of ours, or status", () => {
    expect(findDrift(live([ours, kcmStatus, restart, scaled]), desired, me, ['spec'])).toEqual([]);
    // even when the desired pod template sets no annotations at all
    const bare = structuredClone(desired) as { spec: { template: { metadata: object } } };
    bare.spec.template.metadata = {};
    expect(findDrift(live([restart]), bare as KubeObject, me, ['spec'])).toEqual([]);
  });

  it('is not what co-owners write where this app renders nothing (service-ca data, imagePullSecrets)', () => {
    const serviceca = {
      metadata: { name: 'serviceca', managedFields: [{ manager: 'service-ca', operation: 'Update', fieldsV1: { 'f:data': { 'f:service-ca.crt': {} } } }] },
      data: { 'service-ca.crt': 'PEM' },
    };
    expect(findDrift(serviceca, { metadata: { name: 'serviceca', annotations: { inject: 'true' } } }, me, ['data', 'binaryData'])).toEqual([]);
    // and where this app does write data, another key beside ours is the co-owner's
    expect(findDrift(serviceca, { metadata: { name: 'serviceca' }, data: { mine: 'x' } } as KubeObject, me, ['data', 'binaryData'])).toEqual([]);
    const sa = { metadata: { managedFields: [{ manager: 'image-registry-operator/pull-secrets', operation: 'Apply', fieldsV1: { 'f:imagePullSecrets': {} } }] } };
    expect(findDrift(sa, { metadata: { name: 'registry' } }, me, [])).toEqual([]);
  });

  it('removes only the drift and its claims, keeping co-owners, annotations and the resourceVersion', () => {
    const obj = live([ours, kcmStatus, restart, userEnv]);
    const drift = findDrift(obj, desired, me, ['spec']);
    const fixed = withoutDrift(obj, drift);
    expect(fixed.spec.template.spec.containers[0]?.env).toEqual([{ name: 'A', value: '1' }]);
    expect(fixed.spec.template.metadata.annotations).toHaveProperty(['kubectl.kubernetes.io/restartedAt']);
    expect(fixed.status).toEqual({ replicas: 1 });
    expect(fixed.metadata['resourceVersion']).toBe('7');
    const edit = (fixed.metadata['managedFields'] as Entry[]).find((e) => e.manager === 'kubectl-edit');
    const container = (edit?.fieldsV1 as Record<string, Record<string, Record<string, Record<string, Record<string, object>>>>>)['f:spec']?.['f:template']?.['f:spec']?.['f:containers']?.['k:{"name":"registry"}'];
    expect(container).toEqual({ 'f:env': { 'k:{"name":"A"}': { 'f:value': {} } }, 'f:ports': { 'k:{"containerPort":5000,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } });
    expect((fixed.metadata['managedFields'] as Entry[]).map((e) => e.manager)).toEqual([me, 'kube-controller-manager', 'kubectl-rollout', 'kubectl-edit']);
    expect(obj.spec.template.spec.containers[0]?.env).toHaveLength(2); // the live object is not mutated
  });

  it('drops a foreign claim that held nothing but drift', () => {
    const rule: Entry = { manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:hostNetwork': {} } } } } };
    const obj = live([ours, rule]) as ReturnType<typeof live> & { spec: { template: { spec: { hostNetwork?: boolean } } } };
    obj.spec.template.spec.hostNetwork = true;
    const fixed = withoutDrift(obj, findDrift(obj, desired, me, ['spec']));
    expect(fixed.spec.template.spec.hostNetwork).toBeUndefined();
    expect((fixed.metadata['managedFields'] as Entry[]).map((e) => e.manager)).toEqual([me]);
  });
});
