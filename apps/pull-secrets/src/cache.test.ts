import { describe, expect, it } from 'vitest';
import { leanNamespace, leanPullSecret, leanServiceAccount } from './cache.ts';
import { renderDockercfg } from './render/dockercfg.ts';
import { fakeToken } from './testing/tokens.ts';

const managedFields = [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:x': {} } }];

describe('cache transforms', () => {
  it('keeps of a ServiceAccount its identity, our annotation and imagePullSecrets only', () => {
    const lean = leanServiceAccount({
      metadata: {
        name: 'sa',
        namespace: 'ns',
        uid: 'u',
        resourceVersion: '3',
        managedFields,
        labels: { a: 'b' },
        annotations: { 'openshift.io/internal-registry-pull-secret-ref': 'sa-dockercfg-x', 'kubectl.kubernetes.io/last-applied-configuration': '{...}' },
      },
      imagePullSecrets: [{ name: 'x' }],
      secrets: [{ name: 'y' }],
    } as never);
    expect(lean).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'sa', namespace: 'ns', uid: 'u', resourceVersion: '3', annotations: { 'openshift.io/internal-registry-pull-secret-ref': 'sa-dockercfg-x' } },
      imagePullSecrets: [{ name: 'x' }],
    });
  });
  it('replaces a secret’s data by a summary', () => {
    const data = Buffer.from(renderDockercfg(['h:1'], fakeToken({ kid: 'k', nbf: 1, exp: 11 }))).toString('base64');
    const lean = leanPullSecret({ metadata: { name: 's', namespace: 'ns', managedFields, labels: { l: 'v' } }, type: 'kubernetes.io/dockercfg', data: { '.dockercfg': data } });
    expect(lean.data).toBeUndefined();
    expect(lean.metadata).toEqual({ name: 's', namespace: 'ns', labels: { l: 'v' } });
    expect(lean.summary?.kids).toEqual(['k']);
    expect(lean.summary?.refreshAtMs).toBe(7000);
    // Idempotent: a cached object passed again keeps its summary.
    expect(leanPullSecret(lean)).toEqual(lean);
  });
  it('keeps of a Namespace its identity and phase', () => {
    expect(leanNamespace({ metadata: { name: 'n', uid: 'u', managedFields, deletionTimestamp: 't' }, status: { phase: 'Terminating' } })).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'n', uid: 'u', deletionTimestamp: 't' },
      status: { phase: 'Terminating' },
    });
  });
});
