import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Deployment } from '@kubernetes/client-node';
import { parseManifests, workspaceRoot } from '@image-registry/testing';
import { describe, expect, it } from 'vitest';
import { Manager } from './manager.ts';

// Every app process starts through runApp, which gives the Manager no shutdown budget: each app drains
// its reconciles and releases its Lease within Manager.defaultShutdownTimeoutMs after SIGTERM. A pod
// grace period at or below it lets the kubelet's SIGKILL cut that short, and the next leader then waits
// out a whole lease duration (issue #12).

const appsDir = join(workspaceRoot(), 'deploy/apps');

/** Each app folder's Deployments as shipped (every YAML file under it, components included). */
function shippedDeployments(): { app: string; deployment: V1Deployment }[] {
  return readdirSync(appsDir).flatMap((app) =>
    readdirSync(join(appsDir, app), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.ya?ml$/.test(f))
      .flatMap((f) => parseManifests(readFileSync(join(appsDir, app, f), 'utf8')))
      .filter((m) => m.kind === 'Deployment')
      .map((m) => ({ app, deployment: m as unknown as V1Deployment })),
  );
}

describe('deploy/apps/*: the shipped Deployments', () => {
  const deployments = shippedDeployments();

  it('are found for every controller app', () => {
    expect(deployments.map((d) => d.app).sort()).toEqual([
      'node-ca',
      'pruner',
      'pull-secrets',
      'registry-workload',
      'routes',
      'status',
      'storage',
    ]);
  });

  it.each(deployments.map((d) => [d.app, d.deployment] as const))(
    '%s: a grace period above the shutdown budget, so SIGKILL never cuts the lease release',
    (_app, deployment) => {
      const grace = deployment.spec?.template.spec?.terminationGracePeriodSeconds;
      // Unset is Kubernetes' default of 30 s: no margin over a 30 s budget.
      expect(grace ?? 30).toBeGreaterThan(Manager.defaultShutdownTimeoutMs / 1000);
    },
  );
});
