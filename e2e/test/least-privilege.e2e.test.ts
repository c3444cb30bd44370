// Least privilege, the first half: nothing shipped grants a wildcard, and the system run is never refused.
// The wildcard check reads every manifest under deploy/ and what kustomize renders of each overlay (a
// patch could add a rule); the refusal check reads the apps' own count of API answers by code.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { parseManifests, workspaceRoot, type Manifest } from '@image-registry/testing';
import { ensureAvailable, freshConfig, teardown } from '../src/helpers.ts';
import { refusedByMetrics, restCounts } from '../src/system/metrics.ts';
import { isRole, wildcardRules } from '../src/system/rbac-rules.ts';

const run = promisify(execFile);
const deploy = join(workspaceRoot(), 'deploy');

function shippedFiles(): Manifest[] {
  return readdirSync(deploy, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml'))
    .flatMap((f) => parseManifests(readFileSync(join(deploy, f), 'utf8')));
}

async function rendered(overlay: string): Promise<Manifest[]> {
  const { stdout } = await run(join(inject('binDir'), 'kubectl'), ['kustomize', join(deploy, 'overlays', overlay)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return parseManifests(stdout);
}

describe('least privilege', () => {
  it('no shipped Role or ClusterRole names * as verb, resource or API group', async () => {
    const files = shippedFiles();
    const apps = readdirSync(join(deploy, 'apps'));
    const roles = files.filter(isRole);
    // Every app ships RBAC: the check reads them all, not an empty set.
    for (const app of apps)
      expect(roles.some((r) => JSON.stringify(r.metadata).includes(app)), `deploy/apps/${app} has a Role`).toBe(true);
    expect(wildcardRules(files)).toEqual([]);
    const overlays = readdirSync(join(deploy, 'overlays'));
    expect(overlays.length).toBeGreaterThan(0);
    for (const overlay of overlays) {
      const manifests = await rendered(overlay);
      expect(manifests.filter(isRole).length, `overlay ${overlay} renders Roles`).toBeGreaterThan(0);
      expect(wildcardRules(manifests), `overlay ${overlay}`).toEqual([]);
    }
  });

  it('the wildcard check finds a * in each place it looks', () => {
    const role = (rule: Partial<Record<'verbs' | 'resources' | 'apiGroups', string[]>>): Manifest => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'too-wide' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'], ...rule }],
    });
    for (const rule of [{ verbs: ['*'] }, { resources: ['*'] }, { resources: ['pods/*'] }, { apiGroups: ['*'] }])
      expect(wildcardRules([role(rule)]), JSON.stringify(rule)).toHaveLength(1);
    expect(wildcardRules([role({})])).toEqual([]);
  });

  it('a system run: every app counts answers from the API server and not one is 403', async () => {
    await freshConfig({});
    await ensureAvailable();
    const ports = inject('metricsPorts');
    const counts = await restCounts(ports);
    // registry-auth asks the API server only when a client comes; the controllers all have.
    const controllers = counts.filter((c) => c.app !== 'registry-auth');
    expect(controllers.length).toBeGreaterThanOrEqual(7);
    expect(controllers.filter((c) => !((c.byCode['200'] ?? 0) > 0)).map((c) => c.app)).toEqual([]);
    expect(await refusedByMetrics(ports)).toEqual([]);
    await teardown();
  });
});
