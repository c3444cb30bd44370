import {
  applyYaml,
  createTestNamespace,
  kubeRequest,
  KubeRequestError,
  serviceAccountKubeConfig,
  shippedAppRbac,
  testKubeConfig,
  type Manifest,
} from '@image-registry/testing';
import type { Manager } from '@image-registry/controller-runtime';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DaemonSetObject } from '../src/resources.ts';
import {
  adminManager,
  applyConfigMap,
  configMapData,
  createConfig,
  createRegistryService,
  deleteSingletons,
  get,
  nodeCAConditions,
  setImageConfig,
  startNodeCAApp,
} from './support.ts';

const poll = { timeout: 60_000, interval: 200 };
const ca = '-----BEGIN CERTIFICATE-----\nFOO\n-----END CERTIFICATE-----\n';

let kc: KubeConfig;
let ns: string;
let app: { manager: Manager } | undefined;
let clusterScoped: Manifest[] = [];

/** The user-config namespace the shipped Role names; it exists on OpenShift and in deploy/base. */
async function ensureNamespace(name: string): Promise<void> {
  try {
    await kubeRequest(kc, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  } catch (err) {
    if (!(err instanceof KubeRequestError && err.status === 409)) throw err;
  }
}

beforeAll(() => {
  kc = testKubeConfig();
});

beforeEach(async () => {
  await deleteSingletons(kc);
  ns = await createTestNamespace(kc, 'nodeca-rbac');
  await ensureNamespace('openshift-config');
  const manifests = shippedAppRbac('node-ca', ns);
  clusterScoped = manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding');
  await applyYaml(kc, manifests, { fieldManager: adminManager });
});

afterEach(async () => {
  await app?.manager.stop();
  app = undefined;
  await deleteSingletons(kc);
  for (const m of clusterScoped) {
    const plural = m.kind === 'ClusterRole' ? 'clusterroles' : 'clusterrolebindings';
    await kubeRequest(kc, 'DELETE', `/apis/rbac.authorization.k8s.io/v1/${plural}/${encodeURIComponent(m.metadata.name)}`).catch(() => undefined);
  }
});

describe('the shipped RBAC', () => {
  it('is enough for both controllers on plain Kubernetes: bundle, DaemonSet, hosts, conditions', async () => {
    const name = `cas-${ns}`;
    await applyConfigMap(kc, 'openshift-config', name, { 'foo.example.com': ca });
    await setImageConfig(kc, { additionalTrustedCA: { name } });
    await createConfig(kc, { managementState: 'Managed', storage: { emptyDir: {} } });
    await createRegistryService(kc, ns);
    await applyConfigMap(kc, ns, 'serviceca', { 'service-ca.crt': ca });

    const sa = await serviceAccountKubeConfig(kc, ns, 'image-registry-node-ca');
    app = await startNodeCAApp(
      sa,
      { namespace: ns, configNamespace: 'openshift-config', publishedNamespace: 'openshift-config-managed-absent' },
      { publishedNamespaceInUse: false },
    );
    await expect.poll(async () => Object.keys((await configMapData(kc, ns, 'image-registry-certificates')) ?? {}).sort(), poll).toEqual(
      ['foo.example.com', `image-registry.${ns}.svc..5000`, `image-registry.${ns}.svc.cluster.local..5000`].sort(),
    );
    await expect.poll(async () => (await get<DaemonSetObject>(kc, `/apis/apps/v1/namespaces/${ns}/daemonsets/node-ca`))?.metadata?.name, poll).toBe('node-ca');
    await expect.poll(async () => (await configMapData(kc, ns, 'node-ca-hosts'))?.['hosts'], poll).toContain(`image-registry.${ns}.svc`);
    await expect
      .poll(async () => Object.entries(await nodeCAConditions(kc)).filter(([, c]) => c.status === 'True' && c.reason === 'Error'), poll)
      .toEqual([]);
    await expect.poll(async () => (await nodeCAConditions(kc))['ImageRegistryCertificatesControllerDegraded']?.status, poll).toBe('False');
    await expect.poll(async () => (await nodeCAConditions(kc))['NodeCADaemonControllerDegraded']?.status, poll).toBe('False');
    await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/openshift-config/configmaps/${name}`);
  });
});
