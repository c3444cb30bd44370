// network_policy.go: the namespace's NetworkPolicies are what upstream defines, and the apps restore theirs.
// The install's own policies (default-deny-all and one per app, where upstream has one for its operator)
// come from `kubectl apply -k`, so this file applies the overlay's policies as the install does.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import {
  applyYaml,
  kubeRequest,
  parseManifests,
  workspaceRoot,
  type Manifest,
} from '@image-registry/testing';
import { ensureAvailable, freshConfig, get, kc, namespace, teardown, timeout } from '../src/helpers.ts';

interface Port {
  protocol?: string;
  port?: number | string;
}
interface Peer {
  namespaceSelector?: { matchLabels?: Record<string, string> };
  podSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: unknown;
}
interface Spec {
  podSelector: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  policyTypes?: string[];
  ingress?: { from?: Peer[]; ports?: Port[] }[];
  egress?: { to?: Peer[]; ports?: Port[] }[];
}
interface NetworkPolicy {
  metadata: { name: string };
  spec: Spec;
}

const npPath = (name = '') =>
  `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies${name ? `/${name}` : ''}`;
const policy = (name: string) => get<NetworkPolicy>(npPath(name));
/** The policy's spec once it exists (the apps write theirs after the Config is processed). */
async function specOf(name: string): Promise<Spec> {
  await expect.poll(() => policy(name), { timeout }).toBeDefined();
  const p = await policy(name);
  if (!p) throw new Error(`NetworkPolicy ${namespace}/${name} disappeared`);
  return p.spec;
}
const registryPolicy = 'image-registry-networkpolicy';
const prunerPolicy = 'image-pruner-networkpolicy';

const hasPort = (ports: Port[] | undefined, protocol: string, port: number | string) =>
  (ports ?? []).some((p) => p.port === port && (p.protocol ?? 'TCP') === protocol);
/** Every protocol/port the policy lists in one direction, as `TCP/6443`. */
const ports = (rules: { ports?: Port[] }[] | undefined) =>
  (rules ?? []).flatMap((r) => (r.ports ?? []).map((p) => `${p.protocol ?? 'TCP'}/${p.port}`));
/** Upstream's ingress allow-all for a port: a rule with that port and no `from`. */
const ingressAllowAll = (s: Spec, port: number | string) =>
  (s.ingress ?? []).some((r) => hasPort(r.ports, 'TCP', port) && (r.from ?? []).length === 0);
/** Upstream's egress allow-all: an empty rule `{}`. */
const egressAllowAll = (s: Spec) =>
  (s.egress ?? []).some((r) => (r.to ?? []).length === 0 && (r.ports ?? []).length === 0);

/** The NetworkPolicies `kubectl apply -k deploy/overlays/kubernetes` installs. */
async function installedPolicies(): Promise<Manifest[]> {
  const { stdout } = await promisify(execFile)(
    join(inject('binDir'), 'kubectl'),
    ['kustomize', join(workspaceRoot(), 'deploy/overlays/kubernetes')],
    { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 },
  );
  return parseManifests(stdout.replaceAll('openshift-image-registry', namespace)).filter(
    (m) => m.kind === 'NetworkPolicy',
  );
}

let installed: Manifest[] = [];
const componentOf = (m: Manifest) =>
  (m.metadata['labels'] as Record<string, string> | undefined)?.['app.kubernetes.io/component'] ?? '';

describe('network policies', () => {
  beforeAll(async () => {
    installed = await installedPolicies();
    await applyYaml(kc, installed, { fieldManager: 'kubectl' });
  });
  afterEach(teardown);

  it('[NetworkPolicy] should ensure image-registry NetworkPolicies are defined', async () => {
    await freshConfig({});
    await ensureAvailable();

    const deny = await policy('default-deny-all');
    expect(deny?.spec).toEqual({
      podSelector: {},
      policyTypes: expect.arrayContaining(['Ingress', 'Egress']),
    });
    expect(deny?.spec.policyTypes).toHaveLength(2);

    // Upstream's one operator policy is one per app here: metrics in from anywhere, the API server and DNS out.
    const apps = installed.filter((p) => p.metadata.name !== 'default-deny-all');
    expect(apps.length).toBeGreaterThanOrEqual(7);
    for (const p of apps) {
      const live = await specOf(p.metadata.name);
      expect(live.podSelector.matchLabels?.['app.kubernetes.io/component'], p.metadata.name).toBe(
        componentOf(p),
      );
      const metrics = (live.ingress ?? []).flatMap((r) => r.ports ?? []).map((x) => x.port ?? '');
      expect(metrics.length, `${p.metadata.name} ingress`).toBeGreaterThan(0);
      for (const port of metrics)
        expect(ingressAllowAll(live, port), `${p.metadata.name} ${port}`).toBe(true);
      expect(ports(live.egress), p.metadata.name).toEqual(
        expect.arrayContaining(['TCP/6443', 'TCP/5353', 'UDP/5353', 'TCP/443']),
      );
    }

    const registry = await specOf(registryPolicy);
    expect(registry.podSelector.matchLabels).toMatchObject({ 'docker-registry': 'default' });
    expect(ingressAllowAll(registry, 5000)).toBe(true);
    expect(egressAllowAll(registry)).toBe(true);
    expect(ports(registry.egress)).toEqual(
      expect.arrayContaining(['TCP/8443', 'TCP/5353', 'UDP/5353', 'TCP/443']),
    );

    const pruner = await specOf(prunerPolicy);
    expect(pruner.podSelector.matchLabels).toMatchObject({ app: 'image-pruner' });
    expect(pruner.policyTypes).toEqual(['Egress']);
    expect(egressAllowAll(pruner)).toBe(true);
    expect(ports(pruner.egress)).toEqual(
      expect.arrayContaining(['TCP/6443', 'TCP/5353', 'UDP/5353', 'TCP/5000']),
    );

    // The registry pods are Ready (our apps are processes here, not pods).
    await expect
      .poll(
        async () => {
          const pods = await kubeRequest<{
            items: { status?: { conditions?: { type: string; status: string }[] } }[];
          }>(kc, 'GET', `/api/v1/namespaces/${namespace}/pods?labelSelector=docker-registry%3Ddefault`);
          return (
            pods.items.length > 0 &&
            pods.items.every((p) =>
              p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
            )
          );
        },
        { timeout },
      )
      .toBe(true);
  });

  it('[NetworkPolicy] should restore image-registry NetworkPolicies after delete or mutation', async () => {
    await freshConfig({});
    await ensureAvailable();
    for (const name of [registryPolicy, prunerPolicy]) {
      const expected = await specOf(name);

      await kubeRequest(kc, 'DELETE', npPath(name));
      await expect.poll(async () => (await policy(name))?.spec, { timeout }).toEqual(expected);

      await kubeRequest(
        kc,
        'PATCH',
        npPath(name),
        { spec: { podSelector: { matchLabels: { 'np-reconcile': 'mutated' } } } },
        'application/merge-patch+json',
      );
      await expect.poll(async () => (await policy(name))?.spec, { timeout }).toEqual(expected);
    }
  });
});
