import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type {
  V1Deployment,
  V1LabelSelector,
  V1NetworkPolicy,
  V1NetworkPolicyPort,
  V1PolicyRule,
} from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { controlPlaneBinaries, parseManifests, workspaceRoot, type Manifest } from '../src/index.ts';

// What deploy/ ships, checked as objects (issue #12): upstream's default-deny-all beside a policy of its own
// for every app pod, and RBAC without repeated or wildcard grants.

const deploy = join(workspaceRoot(), 'deploy');
const overlays = readdirSync(join(deploy, 'overlays'));

/** The API server: 443 on the kubernetes Service, 6443 where most distributions listen behind it. */
const apiServerPorts = [443, 6443];
/** DNS; OpenShift's DNS pods listen on 5353 behind the Service's 53. */
const dnsPorts = [53, 5353];
/** NetworkPolicies the apps write themselves (upstream's names): an install that shipped them would fight the apps. */
const appWrittenPolicies = ['image-registry-networkpolicy', 'image-pruner-networkpolicy'];

let rendered: Map<string, Manifest[]>;

beforeAll(async () => {
  const { binDir } = await controlPlaneBinaries();
  rendered = new Map(
    overlays.map((o) => [
      o,
      parseManifests(
        execFileSync(join(binDir, 'kubectl'), ['kustomize', join(deploy, 'overlays', o)], {
          encoding: 'utf8',
        }),
      ),
    ]),
  );
});

const ofKind = <T>(manifests: Manifest[], kind: string) =>
  manifests.filter((m) => m.kind === kind) as unknown as T[];

/** Whether a selector picks pods with these labels (matchLabels and the set operators). */
function selects(selector: V1LabelSelector, labels: Record<string, string>): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e) => {
    const v = labels[e.key];
    if (e.operator === 'In') return v !== undefined && (e.values ?? []).includes(v);
    if (e.operator === 'NotIn') return v === undefined || !(e.values ?? []).includes(v);
    if (e.operator === 'Exists') return v !== undefined;
    return v === undefined; // DoesNotExist
  });
  return byLabel && byExpression;
}

/** A pod's container port: its number, name and protocol. */
interface PodPort {
  port: number;
  name?: string | undefined;
  protocol: string;
}

/** Whether a rule's port list admits this port (no list: every port; named ports match the pod's names). */
function admits(ports: V1NetworkPolicyPort[] | undefined, target: PodPort): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== target.protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return p.port === target.name;
    return target.port >= p.port && target.port <= (p.endPort ?? p.port);
  });
}

const allowsIngress = (policies: V1NetworkPolicy[], port: PodPort) =>
  policies.some(
    (p) =>
      p.spec?.policyTypes?.includes('Ingress') && (p.spec.ingress ?? []).some((r) => admits(r.ports, port)),
  );
const allowsEgress = (policies: V1NetworkPolicy[], port: PodPort) =>
  policies.some(
    (p) =>
      p.spec?.policyTypes?.includes('Egress') && (p.spec.egress ?? []).some((r) => admits(r.ports, port)),
  );

describe('deploy/overlays: NetworkPolicies', () => {
  it.each(overlays)(
    '%s: default-deny-all beside it when it ships policies, and a policy of its own for every Deployment',
    (overlay) => {
      const manifests = rendered.get(overlay) ?? [];
      const policies = ofKind<V1NetworkPolicy>(manifests, 'NetworkPolicy');
      if (policies.length === 0) return;

      // Upstream's default-deny-all: every pod of the namespace, both directions, nothing allowed.
      const deny = policies.find((p) => p.metadata?.name === 'default-deny-all');
      expect(deny, 'default-deny-all').toBeDefined();
      expect(deny?.metadata?.namespace).toBe('openshift-image-registry');
      expect(deny?.spec?.podSelector).toEqual({});
      expect([...(deny?.spec?.policyTypes ?? [])].sort()).toEqual(['Egress', 'Ingress']);
      expect(deny?.spec?.ingress ?? []).toEqual([]);
      expect(deny?.spec?.egress ?? []).toEqual([]);

      expect(
        policies.map((p) => p.metadata?.name ?? '').filter((n) => appWrittenPolicies.includes(n)),
      ).toEqual([]);

      const deployments = ofKind<V1Deployment>(manifests, 'Deployment');
      expect(deployments.length).toBeGreaterThan(0);
      for (const d of deployments) {
        const name = d.metadata?.name ?? '';
        const labels = d.spec?.template.metadata?.labels ?? {};
        const own = policies.filter(
          (p) =>
            p !== deny &&
            p.metadata?.namespace === d.metadata?.namespace &&
            p.spec &&
            selects(p.spec.podSelector ?? {}, labels),
        );
        expect(
          own.map((p) => p.metadata?.name),
          `a NetworkPolicy selecting ${name}'s pods`,
        ).not.toEqual([]);
        const metrics = (d.spec?.template.spec?.containers ?? [])
          .flatMap((c) => c.ports ?? [])
          .filter((p) => p.name === 'metrics')
          .map((p) => ({ port: p.containerPort, name: p.name, protocol: p.protocol ?? 'TCP' }));
        expect(metrics, `${name} has a metrics port`).toHaveLength(1);
        for (const port of metrics)
          expect(allowsIngress(own, port), `${name}: metrics ${port.port} in`).toBe(true);
        for (const port of apiServerPorts)
          expect(allowsEgress(own, { port, protocol: 'TCP' }), `${name}: API server ${port} out`).toBe(true);
        for (const port of dnsPorts)
          for (const protocol of ['UDP', 'TCP'])
            expect(allowsEgress(own, { port, protocol }), `${name}: DNS ${protocol}/${port} out`).toBe(true);
      }
    },
  );
});

/** Every object of every YAML file under deploy/, as written (so also what no overlay renders). */
function shippedObjects(): { file: string; object: Manifest }[] {
  const files = readdirSync(deploy, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f));
  return files.flatMap((f) =>
    parseManifests(readFileSync(join(deploy, f), 'utf8')).map((object) => ({ file: f, object })),
  );
}

/** A rule's grants, one per (API group, resource, name, verb) or (URL, verb); `name` * is any name. */
function grants(rule: V1PolicyRule): string[] {
  if (rule.nonResourceURLs) return rule.nonResourceURLs.flatMap((u) => rule.verbs.map((v) => `${u} ${v}`));
  const names = rule.resourceNames?.length ? rule.resourceNames : ['*'];
  return (rule.apiGroups ?? []).flatMap((g) =>
    (rule.resources ?? []).flatMap((r) => names.flatMap((n) => rule.verbs.map((v) => `${g}/${r}/${n} ${v}`))),
  );
}

describe('deploy/: Roles and ClusterRoles', () => {
  const roles = shippedObjects().filter((o) => o.object.kind === 'Role' || o.object.kind === 'ClusterRole');

  it('are found', () => {
    expect(roles.length).toBeGreaterThan(10);
  });

  it('grant nothing twice: no rule repeats what another rule of the same role grants', () => {
    for (const { file, object } of roles) {
      const rules = (object as unknown as { rules?: V1PolicyRule[] }).rules ?? [];
      const perRule = rules.map(grants);
      const repeated: string[] = [];
      const seen = new Map<string, number>();
      perRule.forEach((gs, i) => {
        for (const g of gs) {
          const first = seen.get(g);
          if (first !== undefined && first !== i) repeated.push(`${g} (rules ${first} and ${i})`);
          else seen.set(g, i);
        }
      });
      // A name-limited grant that an unlimited rule of the same role already gives.
      rules.forEach((rule, i) => {
        if (rule.resourceNames?.length)
          for (const g of grants({ ...rule, resourceNames: [] }))
            if (seen.has(g)) repeated.push(`${g} covers rule ${i}`);
      });
      expect(
        repeated,
        `${relative(workspaceRoot(), join(deploy, file))}: ${object.kind} ${object.metadata.name}`,
      ).toEqual([]);
    }
  });

  it('use no wildcard verb, resource or API group', () => {
    for (const { file, object } of roles) {
      const rules = (object as unknown as { rules?: V1PolicyRule[] }).rules ?? [];
      const wild = rules.filter((r) =>
        [...r.verbs, ...(r.resources ?? []), ...(r.apiGroups ?? [])].some((x) => x.includes('*')),
      );
      expect(wild, `${file}: ${object.kind} ${object.metadata.name}`).toEqual([]);
    }
  });
});
