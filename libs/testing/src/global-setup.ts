import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startK3s } from './control-plane/k3s.ts';
import { startControlPlane } from './control-plane/start.ts';
import { loadKubeConfig } from './control-plane/kubeconfig.ts';
import { installCrds } from './kube/apply.ts';
import { workspaceRoot } from './workspace.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfigPath: string;
  }
}

/**
 * One control plane per test run. `IRO_TEST_KUBECONFIG` reuses one that is already running
 * (the test command starts one for every project); otherwise this starts a private one.
 * `IRO_TEST_CLUSTER=k3s` uses k3s through testcontainers where a container engine exists.
 * The project's CRDs from deploy/crds are installed either way.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let kubeconfigPath = process.env['IRO_TEST_KUBECONFIG'];
  let controlPlane: { kubeconfigPath: string; stop(): Promise<void> } | undefined;
  if (!kubeconfigPath) {
    controlPlane = process.env['IRO_TEST_CLUSTER'] === 'k3s' ? await startK3s() : await startControlPlane();
    kubeconfigPath = controlPlane.kubeconfigPath;
  }
  const crds = join(workspaceRoot(), 'deploy/crds');
  if (existsSync(crds) && readdirSync(crds).some((f) => f.endsWith('.yaml'))) {
    await installCrds(loadKubeConfig(kubeconfigPath), crds);
  }
  project.provide('kubeconfigPath', kubeconfigPath);
  return async () => {
    await controlPlane?.stop();
  };
}
