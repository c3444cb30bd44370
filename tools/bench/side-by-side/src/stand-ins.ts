// The cluster objects each system expects on a bare API server. On OpenShift the installer, the
// cluster-version operator and the SCC namespace allocator provide them; here the bench does.
import { applyYaml, kubeRequest, type Manifest } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';

const manager = 'side-by-side-bench';

async function ensureNamespace(
  kc: KubeConfig,
  name: string,
  annotations: Record<string, string> = {},
): Promise<void> {
  await applyYaml(
    kc,
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name, annotations } },
    { fieldManager: manager },
  );
}

/** Objects with a status: the spec first, then the status subresource. */
async function applyWithStatus(kc: KubeConfig, m: Manifest & { status?: unknown }): Promise<void> {
  const { status, ...spec } = m;
  await applyYaml(kc, spec as Manifest, { fieldManager: manager });
  if (status !== undefined)
    await applyYaml(kc, { ...spec, status } as Manifest, { fieldManager: manager, subresource: 'status' });
}

/**
 * What both systems read: the operand namespace (with the SCC allocator's annotations, from which upstream
 * derives the registry pod's fsGroup; ours ignores them), openshift-config, and the cluster singletons.
 */
export async function commonStandIns(kc: KubeConfig, namespace: string): Promise<void> {
  await ensureNamespace(kc, namespace, {
    'openshift.io/sa.scc.supplemental-groups': '1000430000/10000',
    'openshift.io/sa.scc.uid-range': '1000430000/10000',
    'openshift.io/sa.scc.mcs': 's0:c21,c10',
  });
  await ensureNamespace(kc, 'openshift-config');
  const server = kc.getCurrentCluster()?.server ?? '';
  await applyWithStatus(kc, {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Infrastructure',
    metadata: { name: 'cluster' },
    spec: { platformSpec: { type: 'None' } },
    status: {
      platform: 'None',
      platformStatus: { type: 'None' },
      infrastructureName: 'bench-x7k2p',
      apiServerURL: server,
      apiServerInternalURI: server,
      etcdDiscoveryDomain: '',
      controlPlaneTopology: 'HighlyAvailable',
      infrastructureTopology: 'HighlyAvailable',
      cpuPartitioning: 'None',
    },
  });
  for (const kind of ['Proxy', 'Image']) {
    await applyYaml(
      kc,
      { apiVersion: 'config.openshift.io/v1', kind, metadata: { name: 'cluster' }, spec: {} },
      { fieldManager: manager },
    );
  }
}

/**
 * What only upstream needs before its main sync renders a Deployment: the installer's global pull secret
 * (copied into installation-pull-secrets), feature gates for its version (it exits after a minute without
 * them), a ClusterVersion (its image config controller reads it), an APIServer, and openshift-config-managed.
 */
export async function upstreamStandIns(kc: KubeConfig, version: string): Promise<void> {
  await ensureNamespace(kc, 'openshift-config-managed');
  await applyYaml(
    kc,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'pull-secret', namespace: 'openshift-config' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') },
    } as Manifest,
    { fieldManager: manager },
  );
  await applyYaml(
    kc,
    { apiVersion: 'config.openshift.io/v1', kind: 'APIServer', metadata: { name: 'cluster' }, spec: {} },
    { fieldManager: manager },
  );
  const image = `quay.io/openshift-release-dev/ocp-release:${version}-x86_64`;
  await applyWithStatus(kc, {
    apiVersion: 'config.openshift.io/v1',
    kind: 'ClusterVersion',
    metadata: { name: 'version' },
    spec: { clusterID: '5f3c3c3e-1d4a-4c55-9d5e-3f0b9a1c2d7e' },
    status: {
      availableUpdates: null,
      desired: { version, image },
      history: [
        {
          state: 'Completed',
          version,
          image,
          verified: false,
          startedTime: '2026-01-01T00:00:00Z',
          completionTime: '2026-01-01T00:30:00Z',
        },
      ],
      observedGeneration: 1,
      versionHash: 'bench',
    },
  });
  // Upstream consults only ImageStreamImportMode, on in the Default feature set.
  await applyWithStatus(kc, {
    apiVersion: 'config.openshift.io/v1',
    kind: 'FeatureGate',
    metadata: { name: 'cluster' },
    spec: {},
    status: { featureGates: [{ version, enabled: [{ name: 'ImageStreamImportMode' }], disabled: [] }] },
  });
}

const leftovers = [
  '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:registry',
  '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:image-pruner',
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/registry-registry-role',
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/openshift-image-registry-pruner',
];

async function gone(kc: KubeConfig, path: string): Promise<boolean> {
  try {
    await kubeRequest(kc, 'GET', path);
    return false;
  } catch (err) {
    if ((err as { status?: number }).status === 404) return true;
    throw err;
  }
}

async function del(kc: KubeConfig, path: string, body?: unknown): Promise<void> {
  try {
    await kubeRequest(
      kc,
      body === undefined ? 'DELETE' : 'PATCH',
      path,
      body,
      'application/merge-patch+json',
    );
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status !== 404 && status !== 409) throw err;
  }
}

/** Everything a phase created or needed, so the next one starts on a bare control plane. Run with the systems stopped. */
export async function cleanUp(kc: KubeConfig, namespace: string, crdNames: readonly string[]): Promise<void> {
  const singletons = [
    '/apis/imageregistry.operator.openshift.io/v1/configs/cluster',
    '/apis/imageregistry.operator.openshift.io/v1/imagepruners/cluster',
  ];
  for (const p of singletons) {
    // Nobody is left to release a finalizer.
    await del(kc, p, { metadata: { finalizers: null } });
    await del(kc, p);
  }
  await del(kc, '/apis/config.openshift.io/v1/clusteroperators/image-registry');
  for (const p of leftovers) await del(kc, p);
  const nsPaths = [namespace, 'openshift-config', 'openshift-config-managed'].map(
    (n) => `/api/v1/namespaces/${n}`,
  );
  const crdPaths = crdNames.map((n) => `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${n}`);
  for (const p of [...nsPaths, ...crdPaths]) await del(kc, p);
  const deadline = Date.now() + 300_000;
  for (const p of [...nsPaths, ...crdPaths]) {
    while (!(await gone(kc, p))) {
      if (Date.now() > deadline) throw new Error(`${p} still exists 5 minutes after its deletion`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
