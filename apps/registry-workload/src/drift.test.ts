import type { KubeObject } from '@image-registry/controller-runtime';
import { describe, expect, it } from 'vitest';
import { driftRepair, foreignOwners } from './drift.ts';

const me = 'image-registry-operator/registry-workload';

function deployment(managedFields: NonNullable<KubeObject['metadata']>['managedFields']): KubeObject & { spec: unknown; status: unknown } {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'image-registry', namespace: 'ns', resourceVersion: '7', managedFields },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'registry', env: [{ name: 'FOO', value: 'BAR' }] }] } } },
    status: { replicas: 1 },
  };
}

const ours = { manager: me, operation: 'Apply', fieldsV1: { 'f:spec': { 'f:replicas': {} } } };
const kcmStatus = { manager: 'kube-controller-manager', operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': {} } };
const kcmMeta = { manager: 'kube-controller-manager', operation: 'Update', fieldsV1: { 'f:metadata': { 'f:annotations': {} } } };
const userEnv = {
  manager: 'kubectl-edit',
  operation: 'Update',
  fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"registry"}': { 'f:env': {} } } } } } },
};

describe('drift', () => {
  it('finds a hand edit inside the spec and ignores status, metadata and our own fields', () => {
    expect(foreignOwners(deployment([ours, kcmStatus, kcmMeta]), me, ['spec'])).toEqual([]);
    expect(foreignOwners(deployment([ours, kcmStatus, kcmMeta, userEnv]), me, ['spec'])).toEqual([userEnv]);
  });

  it('ignores fields outside the scope this app renders (another app adding imagePullSecrets)', () => {
    const sa = { metadata: { managedFields: [{ manager: 'image-registry-operator/pull-secrets', operation: 'Apply', fieldsV1: { 'f:imagePullSecrets': {} } }] } };
    expect(foreignOwners(sa, me, [])).toEqual([]);
  });

  it('repairs by replacing the scoped fields and dropping the foreign claims, keeping the resourceVersion', () => {
    const live = deployment([ours, kcmStatus, userEnv]);
    const desired = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'image-registry' }, spec: { replicas: 1 } };
    const fixed = driftRepair<KubeObject>(live, desired, [userEnv], ['spec']) as typeof live;
    expect(fixed.spec).toEqual({ replicas: 1 });
    expect(fixed.status).toEqual({ replicas: 1 });
    expect(fixed.metadata?.resourceVersion).toBe('7');
    expect(fixed.metadata?.managedFields).toEqual([ours, kcmStatus]);
  });
});
