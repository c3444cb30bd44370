import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  applyYaml,
  controlPlaneBinaries,
  kubeRequest,
  parseManifests,
  testKubeConfig,
  type Manifest,
} from '@image-registry/testing';
import { describe, expect, it } from 'vitest';
import { renderOverlay, root } from './support.ts';

const colocated = ['registry-workload', 'storage', 'status', 'routes', 'node-ca', 'pull-secrets', 'pruner'];
const sa = { kind: 'ServiceAccount', name: 'image-registry-operator', namespace: 'openshift-image-registry' };
const id = (m: Manifest) => `${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}`;
const component = (m: Manifest) =>
  (m.metadata['labels'] as Record<string, string> | undefined)?.['app.kubernetes.io/component'];

interface Binding extends Manifest {
  roleRef: { kind: string; name: string };
  subjects: { kind: string; name: string; namespace?: string }[];
}

async function renderApp(app: string): Promise<Manifest[]> {
  const { binDir } = await controlPlaneBinaries();
  return parseManifests(
    execFileSync(join(binDir, 'kubectl'), ['kustomize', join(root, 'deploy/apps', app)], {
      encoding: 'utf8',
    }),
  );
}

describe('deploy/overlays/all-in-one', () => {
  it("runs the seven controllers in one Deployment under one ServiceAccount bound to each app's own roles, rules not copied", async () => {
    const manifests = await renderOverlay();
    const deployments = manifests.filter((m) => m.kind === 'Deployment');
    expect(deployments.map(id)).toEqual(['Deployment openshift-image-registry/image-registry-operator']);
    const pod = (
      deployments[0] as unknown as {
        spec: {
          template: { spec: { serviceAccountName: string; containers: { image: string; args: string[] }[] } };
        };
      }
    ).spec.template.spec;
    expect(pod.serviceAccountName).toBe(sa.name);
    expect(pod.containers.map((c) => c.image)).toEqual(['image-registry-operator/all-in-one:latest']);
    expect(pod.containers[0]?.args).toContain(`--apps=${colocated.join(',')}`);
    expect(manifests.filter((m) => m.kind === 'ServiceAccount').map(id)).toEqual([
      `ServiceAccount ${sa.namespace}/${sa.name}`,
    ]);

    // The roles are exactly the apps' own (same names, same rules), and every one of them is bound to the one ServiceAccount.
    const appRoles = (await Promise.all(colocated.map(renderApp)))
      .flat()
      .filter((m) => m.kind === 'Role' || m.kind === 'ClusterRole');
    const overlayRoles = manifests.filter(
      (m) => (m.kind === 'Role' || m.kind === 'ClusterRole') && colocated.includes(component(m) ?? ''),
    );
    expect(overlayRoles.map(id).sort()).toEqual(appRoles.map(id).sort());
    for (const r of overlayRoles) expect(r).toEqual(appRoles.find((a) => id(a) === id(r)));
    expect(manifests.filter((m) => m.kind.endsWith('Role') && component(m) === 'all-in-one')).toEqual([]);
    const bindings = manifests.filter((m): m is Binding => m.kind.endsWith('RoleBinding'));
    for (const b of bindings.filter((b) => colocated.includes(component(b) ?? '')))
      expect(b.subjects).toEqual([sa]);
    const bound = new Set(
      bindings
        .filter((b) => b.subjects.some((s) => s.name === sa.name))
        .map((b) => `${b.roleRef.kind} ${b.metadata.namespace ?? ''}/${b.roleRef.name}`),
    );
    for (const r of appRoles) expect(bound).toContain(id(r));
    // registry-auth stays in the registry pod, under its own ServiceAccount.
    expect(
      bindings
        .find((b) => b.metadata.name === 'image-registry-operator:registry-auth')
        ?.subjects.map((s) => s.name),
    ).toEqual(['registry']);
  });

  it('is accepted by the API server and its Deployment becomes available', async () => {
    const kc = testKubeConfig();
    const manifests = await renderOverlay();
    expect(await applyYaml(kc, manifests, { fieldManager: 'deploy-test' })).toHaveLength(manifests.length);
    await expect
      .poll(
        async () =>
          (
            await kubeRequest<{ status?: { availableReplicas?: number } }>(
              kc,
              'GET',
              '/apis/apps/v1/namespaces/openshift-image-registry/deployments/image-registry-operator',
            )
          ).status?.availableReplicas,
        { timeout: 60_000 },
      )
      .toBeGreaterThanOrEqual(1);
  });
});
