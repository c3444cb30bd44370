import { describe, expect, it } from 'vitest';
import type { DependencyContent } from './checksum.ts';
import { renderDeployment, type DeploymentInput } from './deployment.ts';
import { InvalidConfigError } from './errors.ts';
import { renderStorage } from './storage-env.ts';

function input(overrides: Partial<DeploymentInput> = {}, spec: DeploymentInput['config']['spec'] = {}): DeploymentInput {
  return {
    config: { metadata: { name: 'cluster', uid: 'uid-1' }, spec: { replicas: 1, httpSecret: 'h', ...spec } },
    namespace: 'openshift-image-registry',
    flavour: 'distribution',
    image: 'registry.example/registry:3',
    storage: renderStorage({ storage: { emptyDir: {} }, flavour: 'distribution', privateKeys: new Set() }),
    nodesHaveZones: false,
    dependencies: { configMap: () => undefined, secret: () => undefined },
    ...overrides,
  };
}

function pod(d: ReturnType<typeof renderDeployment>) {
  const spec = d.spec?.template.spec;
  if (!spec) throw new Error('no pod spec');
  return spec;
}

function container(d: ReturnType<typeof renderDeployment>) {
  const c = pod(d).containers[0];
  if (!c) throw new Error('no container');
  return c;
}

describe('renderDeployment', () => {
  it('renders image-registry owned by Config/cluster with the docker-registry selector', () => {
    const d = renderDeployment(input());
    expect(d.metadata?.name).toBe('image-registry');
    expect(d.metadata?.namespace).toBe('openshift-image-registry');
    expect(d.metadata?.ownerReferences).toEqual([
      { apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster', uid: 'uid-1', controller: true, blockOwnerDeletion: true },
    ]);
    expect(d.spec?.selector.matchLabels).toEqual({ 'docker-registry': 'default' });
    expect(d.spec?.template.metadata?.labels).toEqual({ 'docker-registry': 'default' });
    expect(d.spec?.progressDeadlineSeconds).toBe(120);
  });

  it('applies upstream pod defaults: service account, priority, grace period, linux nodes, default requests', () => {
    const d = renderDeployment(input());
    const p = pod(d);
    expect(p.serviceAccountName).toBe('registry');
    expect(p.priorityClassName).toBe('system-cluster-critical');
    expect(p.terminationGracePeriodSeconds).toBe(55);
    expect(p.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    const c = container(d);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' } });
    // Port 5000 is registry-auth's in the distribution flavour (render/registry-auth.test.ts).
    expect(p.containers.flatMap((x) => x.ports ?? [])).toContainEqual({ containerPort: 5000, protocol: 'TCP' });
    expect(c.lifecycle?.preStop?.exec?.command).toEqual(['sleep', '25']);
    expect(c.terminationMessagePolicy).toBe('FallbackToLogsOnError');
  });

  it('runs non-root with RuntimeDefault seccomp and no capabilities on plain Kubernetes', () => {
    const d = renderDeployment(input());
    expect(pod(d).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container(d).securityContext).toEqual({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('takes fsGroup from the OpenShift namespace annotation and lets the SCC pick the UID', () => {
    const d = renderDeployment(input({ namespaceAnnotations: { 'openshift.io/sa.scc.supplemental-groups': '1000430000/10000' } }));
    expect(pod(d).securityContext?.fsGroup).toBe(1000430000);
    expect(pod(d).securityContext?.runAsUser).toBeUndefined();
  });

  it('runs the CNCF binary for the distribution flavour and upstream command for openshift', () => {
    expect(container(renderDeployment(input())).command).toEqual(['/bin/registry', 'serve', '/etc/distribution/config.yml']);
    const os = renderDeployment(
      input({ flavour: 'openshift', storage: renderStorage({ storage: { emptyDir: {} }, flavour: 'openshift', privateKeys: new Set() }) }),
    );
    expect(container(os).command?.[2]).toMatch(/update-ca-trust extract .* && exec \/usr\/bin\/dockerregistry$/);
    expect(container(os).readinessProbe?.httpGet).toEqual({ path: '/healthz', port: 5000, scheme: 'HTTPS' });
  });

  it('mounts storage volumes first, then the serving certificate and CA stores', () => {
    const d = renderDeployment(input());
    expect(pod(d).volumes?.map((v) => v.name)).toEqual(['registry-storage', 'registry-tls', 'registry-certificates', 'trusted-ca', 'bound-sa-token', 'registry-auth-token']);
    expect(container(d).volumeMounts?.find((m) => m.name === 'registry-tls')?.mountPath).toBe('/etc/secrets');
  });

  it('copies resources, tolerations, node selector and rollout strategy from the spec', () => {
    const tolerations = [{ key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' }];
    const d = renderDeployment(
      input({}, {
        replicas: 3,
        resources: { limits: { memory: '512Mi' } },
        tolerations,
        nodeSelector: { 'node-role.kubernetes.io/master': '' },
        rolloutStrategy: 'Recreate',
      }),
    );
    expect(container(d).resources).toEqual({ limits: { memory: '512Mi' } });
    expect(pod(d).tolerations).toEqual(tolerations);
    expect(pod(d).nodeSelector).toEqual({ 'node-role.kubernetes.io/master': '', 'kubernetes.io/os': 'linux' });
    expect(pod(d).topologySpreadConstraints).toEqual([]);
    expect(d.spec?.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec?.replicas).toBe(3);
  });

  it('adds required anti-affinity only for exactly two replicas, and prefers spec.affinity', () => {
    expect(pod(renderDeployment(input({}, { replicas: 1 }))).affinity).toBeUndefined();
    expect(pod(renderDeployment(input({}, { replicas: 2 }))).affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: 'kubernetes.io/hostname', namespaces: ['openshift-image-registry'], labelSelector: { matchLabels: { 'docker-registry': 'default' } } },
    ]);
    const affinity = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'infra', operator: 'Exists' }] } }] } };
    expect(pod(renderDeployment(input({}, { replicas: 2, affinity }))).affinity).toEqual(affinity);
    // In the form the server stores: the empty list it would drop is not sent.
    const empty = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } };
    expect(pod(renderDeployment(input({}, { replicas: 2, affinity: empty }))).affinity).toEqual({ nodeAffinity: {} });
  });

  it('spreads over hosts, workers and, when nodes have zones, zones', () => {
    const keys = (zones: boolean) => pod(renderDeployment(input({ nodesHaveZones: zones }))).topologySpreadConstraints?.map((t) => t.topologyKey);
    expect(keys(false)).toEqual(['kubernetes.io/hostname', 'node-role.kubernetes.io/worker']);
    expect(keys(true)).toEqual(['kubernetes.io/hostname', 'node-role.kubernetes.io/worker', 'topology.kubernetes.io/zone']);
    const own = [{ maxSkew: 2, topologyKey: 'x', whenUnsatisfiable: 'ScheduleAnyway' }];
    expect(pod(renderDeployment(input({}, { topologySpreadConstraints: own }))).topologySpreadConstraints).toEqual(own);
  });

  it('changes the dependencies checksum when a secret the pod reads changes, so the pods roll', () => {
    const secrets = new Map<string, DependencyContent>([['image-registry-tls', { data: { 'tls.crt': 'YQ==' } }]]);
    const deps = { configMap: () => undefined, secret: (n: string) => secrets.get(n) };
    const checksum = () => renderDeployment(input({ dependencies: deps })).spec?.template.metadata?.annotations?.['imageregistry.operator.openshift.io/dependencies-checksum'];
    const before = checksum();
    expect(before).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(checksum()).toBe(before);
    secrets.set('image-registry-tls', { data: { 'tls.crt': 'Yg==' } });
    expect(checksum()).not.toBe(before);
  });

  it('applies unsupportedConfigOverrides annotations and runtimeClassName', () => {
    const d = renderDeployment(
      input({}, { unsupportedConfigOverrides: { deployment: { annotations: { 'a.example/x': 'y' }, runtimeClassName: 'gvisor' } } }),
    );
    expect(d.metadata?.annotations).toEqual({ 'a.example/x': 'y' });
    expect(d.spec?.template.metadata?.annotations?.['a.example/x']).toBe('y');
    expect(pod(d).runtimeClassName).toBe('gvisor');
  });

  it('stamps the release version for the status app', () => {
    expect(renderDeployment(input({ releaseVersion: '4.99.0' })).metadata?.annotations).toEqual({ 'release.openshift.io/version': '4.99.0' });
  });

  it('rejects negative replicas with a message naming replicas', () => {
    const attempt = () => renderDeployment(input({}, { replicas: -1 }));
    expect(attempt).toThrow(InvalidConfigError);
    expect(attempt).toThrow(/replicas must be greater than or equal to 0/);
  });

  it('rejects invalid unsupportedConfigOverrides naming the field', () => {
    expect(() => renderDeployment(input({}, { unsupportedConfigOverrides: '{nope' }))).toThrow(/invalid unsupportedConfigOverrides/);
  });
});
