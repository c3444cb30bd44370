import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyYaml, controlPlaneBinaries, kubeRequest, parseManifests, testKubeConfig, workspaceRoot } from '../src/index.ts';

// The shipped overlays, rendered by the real kustomize (in kubectl) and applied to the real API server.
async function render(overlay: string): Promise<string> {
  const { binDir } = await controlPlaneBinaries();
  return execFileSync(join(binDir, 'kubectl'), ['kustomize', join(workspaceRoot(), 'deploy/overlays', overlay)], {
    encoding: 'utf8',
  });
}

describe('deploy overlays', () => {
  it('the plain Kubernetes overlay installs every object, without the Route CRD', async () => {
    const kc = testKubeConfig();
    const yaml = await render('kubernetes');
    const manifests = parseManifests(yaml);
    expect(manifests.map((m) => m.metadata.name)).not.toContain('routes.route.openshift.io');
    const applied = await applyYaml(kc, manifests, { fieldManager: 'deploy-test' });
    expect(applied).toHaveLength(manifests.length);
    for (const d of manifests.filter((m) => m.kind === 'Deployment')) {
      await expect
        .poll(
          async () =>
            (
              await kubeRequest<{ status?: { availableReplicas?: number } }>(
                kc,
                'GET',
                `/apis/apps/v1/namespaces/${d.metadata.namespace}/deployments/${d.metadata.name}`,
              )
            ).status?.availableReplicas,
          { timeout: 60_000 },
        )
        .toBeGreaterThanOrEqual(1);
    }
  });

  it('the OpenShift overlay holds only the apps: CRDs and the namespace already exist there', async () => {
    const kinds = parseManifests(await render('openshift')).map((m) => m.kind);
    expect(kinds).not.toContain('CustomResourceDefinition');
    expect(kinds).not.toContain('Namespace');
    expect(kinds).toContain('Deployment');
  });
});
