// One control plane, the CRDs, and the whole system for the e2e project.
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { applyYaml, installCrds, startControlPlane, workspaceRoot } from '@image-registry/testing';
import { startControl } from './system/control.ts';
import { startStorageEmulators, type EmulatorEndpoints } from './system/emulators.ts';
import { startSystem } from './system/system.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfigPath: string;
    logDir: string;
    namespace: string;
    binDir: string;
    emulators: EmulatorEndpoints;
    controlUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = workspaceRoot();
  const namespace = 'openshift-image-registry';
  // E2E_LOG_DIR: a run of its own beside another in the same tree (the logs are read back by the tests).
  const logDir = process.env['E2E_LOG_DIR'] ?? join(root, 'tmp/e2e');
  const [cp, emulators] = await Promise.all([startControlPlane({ nodes: 2 }), startStorageEmulators()]);
  await installCrds(cp.kubeConfig, join(root, 'deploy/crds'));
  // A Managed registry from the start: registry-auth fronts it as the registry's ServiceAccount, which
  // registry-workload creates only for a Managed Config (platform None bootstraps Removed).
  await applyYaml(
    cp.kubeConfig,
    {
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      spec: { managementState: 'Managed', replicas: 1, storage: { emptyDir: {} } },
    },
    { fieldManager: 'e2e' },
  );
  const system = await startSystem({
    admin: cp.kubeConfig,
    root,
    namespace,
    logDir,
    args: { storage: emulators.storageArgs },
  }).catch(async (err: unknown) => {
    await Promise.all([cp.stop(), emulators.stop()]);
    throw err;
  });
  project.provide('kubeconfigPath', cp.kubeconfigPath);
  project.provide('logDir', logDir);
  project.provide('namespace', namespace);
  project.provide('binDir', cp.binDir);
  project.provide('metricsPorts', Object.fromEntries([...system.apps].map(([app, p]) => [app, p.metricsPort])));
  project.provide('emulators', emulators.endpoints);
  const control = await startControl(system);
  project.provide('controlUrl', control.url);
  return async () => {
    await control.close();
    await system.stop();
    await Promise.all([cp.stop(), emulators.stop()]);
  };
}
