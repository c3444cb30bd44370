import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOptions } from '@image-registry/controller-runtime';
import { parseManifests } from '@image-registry/testing';
import { describe, expect, it } from 'vitest';
import { appName, statusFlags } from './flags.ts';
import { names } from './resources.ts';

// The shipped manifests and the code must agree on flags, names and metric labels; these tests catch
// a rename on one side only. (test/rbac.int.test.ts proves the RBAC against a real API server.)
const deploy = join(import.meta.dirname, '../../../deploy');

function docs(path: string) {
  return parseManifests(readFileSync(join(deploy, path), 'utf8'));
}

interface Container {
  args: string[];
  env: { name: string; value?: string }[];
}

describe('deploy/apps/status', () => {
  const deployment = docs('apps/status/deployment.yaml').find((d) => d.kind === 'Deployment');
  const container = (deployment as { spec: { template: { spec: { containers: Container[] } } } } | undefined)
    ?.spec.template.spec.containers[0];

  it('starts the app with flags it accepts', () => {
    const args = (container?.args ?? []).map((a) =>
      a.replace('$(POD_NAMESPACE)', 'openshift-image-registry'),
    );
    const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));
    const opts = parseOptions(args, env, statusFlags);
    expect(opts).toMatchObject({
      namespace: 'openshift-image-registry',
      leaderElect: true,
      metricsBindAddress: ':8080',
    });
    expect(opts.extra['release-version']).toBe('0.0.1-snapshot');
  });

  it('grants exactly the objects the app names', () => {
    const rules = docs('apps/status/rbac.yaml')
      .filter((d) => d.kind === 'ClusterRole' || d.kind === 'Role')
      .flatMap(
        (d) =>
          (d as unknown as { rules: { resources: string[]; resourceNames?: string[]; verbs: string[] }[] })
            .rules,
      );
    const namesOf = (resource: string) =>
      rules.filter((r) => r.resources.includes(resource)).flatMap((r) => r.resourceNames ?? []);
    expect(namesOf('configs')).toEqual([names.config]);
    expect(namesOf('imagepruners')).toEqual([names.pruner]);
    expect(namesOf('deployments')).toEqual([names.deployment]);
    expect(namesOf('clusteroperators')).toEqual([names.clusterOperator]);
    expect(namesOf('clusteroperators/status')).toEqual([names.clusterOperator]);
    expect(namesOf('leases')).toEqual([`${appName}-leader`]);
    expect(namesOf('namespaces')).toEqual(['openshift-image-registry']);
    // Nothing may delete or write anything but the ClusterOperator (and its lease, Events, metrics reviews).
    const writes = rules.filter((r) => r.verbs.some((v) => !['get', 'list', 'watch'].includes(v)));
    expect(writes.flatMap((r) => r.resources).sort()).toEqual([
      'clusteroperators',
      'clusteroperators/status',
      'events',
      'leases',
      'leases',
      'subjectaccessreviews',
      'tokenreviews',
    ]);
    expect(rules.flatMap((r) => r.verbs)).not.toContain('delete');
  });
});

describe('deploy/monitoring', () => {
  it('alerts only on labels image_registry_condition has', () => {
    const rule = docs('monitoring/prometheusrule.yaml')[0] as unknown as {
      spec: { groups: { rules: { alert: string; expr: string }[] }[] };
    };
    const alerts = rule.spec.groups.flatMap((g) => g.rules);
    expect(alerts.map((a) => a.alert)).toEqual([
      'ImageRegistryStorageReadOnly',
      'ImageRegistryStorageFull',
      'ImageRegistryUnavailable',
      'ImageRegistryDegraded',
    ]);
    for (const a of alerts) {
      for (const [, selector] of a.expr.matchAll(/image_registry_condition\{([^}]*)\}/g)) {
        const labels = [...(selector ?? '').matchAll(/(\w+)\s*=~?/g)].map((m) => m[1]);
        expect(
          labels.every((l) => l === 'type' || l === 'status'),
          `${a.alert}: ${selector}`,
        ).toBe(true);
      }
    }
    // Upstream dropped ImageRegistryRemoved; every alert waits (`for:`) before it fires.
    for (const a of alerts as { alert: string; for?: string }[]) expect(a.for, a.alert).toMatch(/^\d+[smh]$/);
  });
});
