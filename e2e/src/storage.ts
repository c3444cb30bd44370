// What the storage tests share: the emulators' endpoints, the credentials secrets, the storage conditions
// and the registry's storage environment.
import { randomBytes } from 'node:crypto';
import { expect, inject, onTestFinished } from 'vitest';
import { kubeRequest } from '@image-registry/testing';
import { condition, deploymentPath, get, getConfig, kc, kubectl, namespace, timeout } from './helpers.ts';

export const emulators = inject('emulators');
export const userSecret = 'image-registry-private-configuration-user';
export const privateSecret = 'image-registry-private-configuration';
/** What the cloud-credential-operator mints on OpenShift. */
export const cloudSecret = 'installer-cloud-credentials';

/** A short infrastructure name of one test, so generated bucket names never collide across tests. */
export const testInfrastructureName = () => `e2e-${randomBytes(3).toString('hex')}`;

/**
 * `kubectl create secret generic <name> --from-literal=K=V … --namespace <ns>`, as the OpenShift
 * documentation configures storage credentials, deleted again when the test ends.
 */
export async function createSecret(name: string, values: Record<string, string>): Promise<void> {
  await kubectl(
    'create',
    'secret',
    'generic',
    name,
    ...Object.entries(values).map(([k, v]) => `--from-literal=${k}=${v}`),
    '--namespace',
    namespace,
  );
  onTestFinished(() => deleteSecret(name));
}

export async function deleteSecret(name: string): Promise<void> {
  await kubectl('delete', 'secret', name, '--namespace', namespace, '--ignore-not-found');
}

/** The decoded data of a Secret in the operand namespace. */
export async function readSecret(name: string): Promise<Record<string, string> | undefined> {
  const s = await get<{ data?: Record<string, string> }>(`/api/v1/namespaces/${namespace}/secrets/${name}`);
  if (!s) return undefined;
  return Object.fromEntries(
    Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );
}

/** Upstream's ConditionExistsWithStatusAndReason. */
export async function expectCondition(type: string, status: string, reason: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const c = condition(await getConfig(), type);
        return { status: c?.status, reason: c?.reason };
      },
      { timeout, interval: 1_000 },
    )
    .toEqual({ status, reason });
}

interface RegistryContainer {
  name: string;
  env?: { name: string; value?: string; valueFrom?: unknown }[];
}
/** The registry container's plain env values (those set from a secret are left out). */
export async function registryEnv(): Promise<Record<string, string>> {
  const d = await get<{ spec: { template: { spec: { containers: RegistryContainer[] } } } }>(
    deploymentPath(),
  );
  const registry = d?.spec.template.spec.containers.find((c) => c.name === 'registry');
  return Object.fromEntries(
    (registry?.env ?? []).flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value] as const])),
  );
}

/** The current spec and status storage of Config/cluster. */
export async function configStorage(): Promise<{
  spec: Record<string, Record<string, unknown> | string>;
  status: Record<string, Record<string, unknown> | string>;
}> {
  const c = await getConfig();
  return {
    spec: (c?.spec?.['storage'] ?? {}) as Record<string, Record<string, unknown> | string>,
    status: (c?.status?.['storage'] ?? {}) as Record<string, Record<string, unknown> | string>,
  };
}

/** Replaces spec.storage as upstream's Configs().Update does (a PUT of the whole object). */
export async function replaceStorage(storage: Record<string, unknown>): Promise<void> {
  const c = await getConfig();
  if (!c) throw new Error('Config/cluster does not exist');
  await kubeRequest(kc, 'PUT', '/apis/imageregistry.operator.openshift.io/v1/configs/cluster', {
    apiVersion: 'imageregistry.operator.openshift.io/v1',
    kind: 'Config',
    ...c,
    spec: { ...c.spec, storage },
  });
}
