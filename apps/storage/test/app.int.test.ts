import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  applyYaml,
  createTestNamespace,
  kubeRequest,
  KubeRequestError,
  serviceAccountKubeConfig,
  shippedAppRbac,
  testKubeConfig,
  writeKubeconfigFile,
  type Manifest,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyConfig, deleteConfig, getConfig, patchConfig, storageConditions } from './support.ts';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

let kc: KubeConfig;
let namespace: string;
let proc: ChildProcess | undefined;
let output = '';
let clusterScoped: Manifest[] = [];

beforeAll(() => {
  kc = testKubeConfig();
});

beforeEach(async () => {
  await deleteConfig(kc);
  namespace = await createTestNamespace(kc, 'storage-app');
});

afterEach(async () => {
  if (proc && proc.exitCode === null) {
    proc.kill('SIGKILL');
    await new Promise((r) => proc?.once('exit', r));
  }
  proc = undefined;
  await deleteConfig(kc);
  for (const m of clusterScoped) {
    const plural = m.kind === 'ClusterRole' ? 'clusterroles' : 'clusterrolebindings';
    await kubeRequest(
      kc,
      'DELETE',
      `/apis/rbac.authorization.k8s.io/v1/${plural}/${encodeURIComponent(m.metadata.name)}`,
    ).catch(() => undefined);
  }
  clusterScoped = [];
});

/** The shipped RBAC minus the openshift-config Role (trustedCA ConfigMaps): that namespace does not exist here. */
const shippedManifests = (): Manifest[] =>
  shippedAppRbac('storage', namespace).filter((m) => m.metadata.namespace !== 'openshift-config');

describe('the storage app as shipped', () => {
  it('provisions and removes a claim with only the shipped RBAC, under leader election, and stops cleanly on SIGTERM', async () => {
    const manifests = shippedManifests();
    clusterScoped = manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding');
    await applyYaml(kc, manifests);
    const sa = manifests.find((m) => m.kind === 'ServiceAccount')?.metadata.name ?? '';
    const kubeconfig = writeKubeconfigFile(await serviceAccountKubeConfig(kc, namespace, sa));

    await applyConfig(kc, { storage: { pvc: {} } });
    output = '';
    proc = spawn(
      process.execPath,
      [
        main,
        `--kubeconfig=${kubeconfig}`,
        `--namespace=${namespace}`,
        '--metrics-bind-address=0',
        '--leader-elect=true',
        '--infrastructure-name=iro-app',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));

    await expect
      .poll(() => storageConditions(kc), { timeout: 60_000 })
      .toEqual({
        StorageExists: { status: 'True', reason: 'PVC Exists', message: 'PVC image-registry-storage exists' },
        StorageControllerDegraded: { status: 'False', reason: 'AsExpected', message: '' },
      });
    const lease = await kubeRequest<{ spec: { holderIdentity?: string } }>(
      kc,
      'GET',
      `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/storage-leader`,
    );
    expect(lease.spec.holderIdentity).toBeTruthy();

    await patchConfig(kc, { spec: { managementState: 'Removed' } });
    await expect
      .poll(
        () =>
          kubeRequest(
            kc,
            'GET',
            `/api/v1/namespaces/${namespace}/persistentvolumeclaims/image-registry-storage`,
          ).then(
            () => true,
            (err: unknown) =>
              err instanceof KubeRequestError && err.status === 404 ? false : Promise.reject(err),
          ),
        { timeout: 30_000 },
      )
      .toBe(false);
    await expect.poll(async () => (await getConfig(kc))?.status?.storage, { timeout: 30_000 }).toEqual({});

    const exited = new Promise<number | null>((r) => proc?.once('exit', (code) => r(code)));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).not.toMatch(/"level":(50|60)/);
    expect(output).not.toContain('forbidden');
  });
});
