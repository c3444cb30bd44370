// A control plane ready for the system: our CRDs and a Managed Config/cluster on emptyDir. Test files
// that need a cluster of their own (faults, least privilege) start one with this.
import { join } from 'node:path';
import {
  applyYaml,
  installCrds,
  startControlPlane,
  type ControlPlane,
  type Manifest,
} from '@image-registry/testing';

/**
 * A Managed registry from the start: registry-auth fronts it as the registry's ServiceAccount, which
 * registry-workload creates only for a Managed Config (platform None bootstraps Removed).
 */
export const managedEmptyDirConfig: Manifest = {
  apiVersion: 'imageregistry.operator.openshift.io/v1',
  kind: 'Config',
  metadata: { name: 'cluster' },
  spec: { managementState: 'Managed', replicas: 1, storage: { emptyDir: {} } },
};

export async function startCluster(root: string, nodes = 2): Promise<ControlPlane> {
  const cp = await startControlPlane({ nodes });
  try {
    await installCrds(cp.kubeConfig, join(root, 'deploy/crds'));
    await applyYaml(cp.kubeConfig, managedEmptyDirConfig, { fieldManager: 'e2e' });
    return cp;
  } catch (err) {
    await cp.stop();
    throw err;
  }
}
