import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOptions } from '@image-registry/controller-runtime';
import { parseManifests } from '@image-registry/testing';
import { describe, expect, it } from 'vitest';
import { appName, parseSettings, pullSecretsFlags } from './flags.ts';

// The shipped manifests and the code must agree on flags and names. (test/restart.int.test.ts runs the
// app under the shipped RBAC against a real API server.)
const dir = join(import.meta.dirname, '../../../deploy/apps/pull-secrets');
const docs = (file: string) => parseManifests(readFileSync(join(dir, file), 'utf8'));

interface Container {
  args: string[];
}

describe('deploy/apps/pull-secrets', () => {
  it('starts the app with flags it accepts', () => {
    const deployment = docs('deployment.yaml').find((d) => d.kind === 'Deployment') as unknown as { spec: { template: { spec: { containers: Container[] } } } };
    const args = (deployment.spec.template.spec.containers[0]?.args ?? []).map((a) => a.replace('$(POD_NAMESPACE)', 'openshift-image-registry'));
    const opts = parseOptions(args, {}, pullSecretsFlags);
    expect(opts).toMatchObject({ namespace: 'openshift-image-registry', leaderElect: true, metricsBindAddress: ':8080' });
    expect(parseSettings(opts.extra)).toMatchObject({ qps: 500, burst: 1000, concurrency: 16, ignoredNamespaces: [] });
  });
  it('lets the app hold its Lease', () => {
    const role = docs('rbac.yaml').find((d) => d.kind === 'Role') as unknown as { rules: { resourceNames?: string[] }[] };
    expect(role.rules.flatMap((r) => r.resourceNames ?? [])).toContain(`${appName}-leader`);
  });
});
