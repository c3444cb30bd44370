import type { Manager } from '@image-registry/controller-runtime';
import { applyYaml, createTestNamespace, kubeRequest, serviceAccountKubeConfig, shippedAppRbac, testKubeConfig, type Manifest } from '@image-registry/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { applyConfig, applyImageHostname, cronJobArgs, deleteSingletons, getOrUndefined, ownedObjectPaths, prunerConditions, startPruner } from './support.ts';

const kc = testKubeConfig();
const poll = { timeout: 60_000, interval: 250 };

describe('the shipped RBAC of the pruner app', () => {
  let manager: Manager | undefined;
  let clusterScoped: Manifest[] = [];
  afterEach(async () => {
    await manager?.stop();
    manager = undefined;
    for (const m of clusterScoped) {
      const plural = m.kind === 'ClusterRole' ? 'clusterroles' : 'clusterrolebindings';
      await kubeRequest(kc, 'DELETE', `/apis/rbac.authorization.k8s.io/v1/${plural}/${encodeURIComponent(m.metadata.name)}`).catch(() => undefined);
    }
    clusterScoped = [];
  });

  it.each(['registry-api', 'oc'] as const)('is enough to bootstrap, apply every object and report status (%s job), with leader election', async (flavour) => {
    await deleteSingletons(kc);
    const namespace = await createTestNamespace(kc, 'pruner-rbac');
    // shippedAppRbac moves every 'openshift-image-registry' into the test namespace, the upstream binding
    // name openshift-image-registry-pruner included: give that one its name back.
    const manifests = JSON.parse(JSON.stringify(shippedAppRbac('pruner', namespace)).replaceAll(`${namespace}-pruner`, 'openshift-image-registry-pruner')) as Manifest[];
    clusterScoped = manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding');
    await applyYaml(kc, manifests);
    const sa = manifests.find((m) => m.kind === 'ServiceAccount')?.metadata.name ?? '';
    await applyConfig(kc, 'Managed');
    await applyImageHostname(kc, 'image-registry.openshift-image-registry.svc:5000');
    manager = (
      await startPruner(await serviceAccountKubeConfig(kc, namespace, sa), { namespace, flavour, applyServiceCA: true, leaderElectionNamespace: namespace })
    ).manager;
    await expect.poll(() => prunerConditions(kc).then((c) => c['Degraded']), poll).toEqual({ status: 'False', reason: 'AsExpected' });
    expect((await prunerConditions(kc))['Available']?.status).toBe('True');
    expect(await cronJobArgs(kc, namespace)).toContain('--prune-registry=true');
    for (const path of ownedObjectPaths(namespace)) {
      expect(await getOrUndefined(kc, path), path).toBeDefined();
    }
    if (flavour === 'registry-api') {
      expect(await getOrUndefined(kc, `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles/image-pruner`)).toBeDefined();
    }
  });
});
