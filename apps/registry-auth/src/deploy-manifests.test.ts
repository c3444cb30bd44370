import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifests } from '@image-registry/testing';
import { describe, expect, it } from 'vitest';
import { imageGroup } from './route.ts';

// The shipped RBAC is exactly what the code asks of the API server (test/*.int.test.ts run the proxy with it).
const deploy = join(import.meta.dirname, '../../../deploy/apps/registry-auth');
const docs = (path: string) => parseManifests(readFileSync(join(deploy, path), 'utf8'));
type Role = { kind: string; metadata: { name: string }; rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };

describe('deploy/apps/registry-auth', () => {
  it('grants tokenreviews create and subjectaccessreviews create, nothing else, to the pod ServiceAccount registry', () => {
    const [role, binding] = docs('rbac.yaml') as unknown as [Role, { subjects: unknown[] }];
    expect(role.rules).toEqual([
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    ]);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'registry', namespace: 'openshift-image-registry' }]);
  });

  it('ships the four image roles under their OpenShift names, in the group the proxy asks about', () => {
    const roles = docs('image-roles/image-roles.yaml') as unknown as Role[];
    expect(roles.map((r) => r.metadata.name)).toEqual(['system:image-puller', 'system:image-pusher', 'system:image-builder', 'system:image-pruner']);
    const grants = (name: string) =>
      (roles.find((r) => r.metadata.name === name)?.rules ?? []).filter((r) => r.apiGroups.includes(imageGroup)).flatMap((r) => r.resources.flatMap((res) => r.verbs.map((v) => `${v} ${res}`)));
    expect(grants('system:image-puller')).toEqual(['get imagestreams/layers']);
    expect(grants('system:image-pusher')).toEqual(['get imagestreams/layers', 'update imagestreams/layers']);
    expect(grants('system:image-builder')).toEqual(expect.arrayContaining(['get imagestreams/layers', 'update imagestreams/layers']));
    expect(grants('system:image-pruner')).toEqual(expect.arrayContaining(['delete images', 'list imagestreams']));
  });
});
