import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, KubeClient, Manager } from '@image-registry/controller-runtime';
import { applyYaml, kubeRequest, KubeRequestError } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { setupPrunerController } from '../src/pruner.controller.ts';
import type { JobFlavour } from '../src/render/job-flavour.ts';

export const prunerPath = '/apis/imageregistry.operator.openshift.io/v1/imagepruners/cluster';
export const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';
export const imageConfigPath = '/apis/config.openshift.io/v1/images/cluster';
export const clusterOperatorPath = '/apis/config.openshift.io/v1/clusteroperators/image-registry';
export const adminManager = 'cluster-admin';

export interface CronJobView {
  spec: {
    suspend?: boolean;
    schedule: string;
    jobTemplate: { spec: { template: { spec: { containers: { args?: string[] }[] } } } };
  };
}

export interface PrunerView {
  metadata: { generation?: number; managedFields?: { manager?: string; operation?: string; subresource?: string; fieldsV1?: unknown }[] };
  spec: Record<string, unknown>;
  status?: { observedGeneration?: number; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

/** The pruner controller in this process: a manager without leader election or HTTP server. */
export async function startPruner(
  kc: KubeConfig,
  opts: { namespace: string; flavour?: JobFlavour; applyServiceCA?: boolean; leaderElectionNamespace?: string },
): Promise<{ manager: Manager; registry: Registry }> {
  const registry = new Registry();
  const logger = createLogger({ level: (process.env['IRO_TEST_LOG_LEVEL'] as 'info' | undefined) ?? 'silent', name: 'pruner' });
  const client = new KubeClient({ kubeConfig: kc, fieldManager: 'image-registry-operator/pruner', registry, logger });
  const manager = new Manager({
    name: 'pruner',
    client,
    logger,
    leaderElection: opts.leaderElectionNamespace
      ? { namespace: opts.leaderElectionNamespace, leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 500 }
      : false,
    shutdownTimeoutMs: 10_000,
  });
  setupPrunerController(manager, {
    namespace: opts.namespace,
    flavour: opts.flavour ?? 'oc',
    image: opts.flavour === 'registry-api' ? 'image-registry-operator/pruner:test' : 'cli:test',
    applyServiceCA: opts.applyServiceCA ?? true,
    hasImageConfig: true,
  });
  await manager.start();
  return { manager, registry };
}

export async function getOrUndefined<T>(kc: KubeConfig, path: string): Promise<T | undefined> {
  try {
    return await kubeRequest<T>(kc, 'GET', path);
  } catch (err) {
    if (err instanceof KubeRequestError && err.status === 404) return undefined;
    throw err;
  }
}

/** Deletes the cluster singletons the tests use and waits until they are gone. */
export async function deleteSingletons(kc: KubeConfig): Promise<void> {
  for (const path of [prunerPath, configPath, imageConfigPath, clusterOperatorPath]) {
    try {
      await kubeRequest(kc, 'PATCH', path, { metadata: { finalizers: null } }, 'application/merge-patch+json');
      await kubeRequest(kc, 'DELETE', path);
    } catch (err) {
      if (!(err instanceof KubeRequestError) || err.status !== 404) throw err;
    }
  }
  const deadline = Date.now() + 60_000;
  for (const path of [prunerPath, configPath, imageConfigPath, clusterOperatorPath]) {
    while ((await getOrUndefined(kc, path)) !== undefined) {
      if (Date.now() > deadline) throw new Error(`${path} was not deleted within 60 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Config/cluster with a managementState, as an admin writes it. */
export async function applyConfig(kc: KubeConfig, managementState: string): Promise<void> {
  await applyYaml(
    kc,
    {
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      spec: { managementState, replicas: 1, storage: { emptyDir: {} } },
    },
    { fieldManager: adminManager },
  );
}

/** Image/cluster with the internal hostname the routes app publishes ('' clears it). */
export async function applyImageHostname(kc: KubeConfig, hostname: string): Promise<void> {
  const base = { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' } };
  await applyYaml(kc, { ...base, spec: {} }, { fieldManager: adminManager });
  await applyYaml(kc, { ...base, status: { internalRegistryHostname: hostname } }, { fieldManager: 'image-registry-operator/routes', subresource: 'status' });
}

export async function patchPrunerSpec(kc: KubeConfig, spec: Record<string, unknown>): Promise<void> {
  await kubeRequest(kc, 'PATCH', prunerPath, { spec }, 'application/merge-patch+json');
}

export function cronJobPath(namespace: string): string {
  return `/apis/batch/v1/namespaces/${namespace}/cronjobs/image-pruner`;
}

export async function cronJobArgs(kc: KubeConfig, namespace: string): Promise<string[]> {
  const cj = await getOrUndefined<CronJobView>(kc, cronJobPath(namespace));
  return cj?.spec.jobTemplate.spec.template.spec.containers[0]?.args ?? [];
}

export async function prunerConditions(kc: KubeConfig): Promise<Record<string, { status: string; reason?: string; message?: string }>> {
  const p = await getOrUndefined<PrunerView>(kc, prunerPath);
  return Object.fromEntries((p?.status?.conditions ?? []).map((c) => [c.type, { status: c.status, reason: c.reason, message: c.message }]));
}

/** The objects the pruner app applies besides the CronJob (serviceca where it applies it). */
export function ownedObjectPaths(namespace: string): string[] {
  return [
    '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:image-pruner',
    '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/openshift-image-registry-pruner',
    `/api/v1/namespaces/${namespace}/serviceaccounts/pruner`,
    `/api/v1/namespaces/${namespace}/configmaps/serviceca`,
    `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies/image-pruner-networkpolicy`,
  ];
}

/** SIGTERM to a child process, resolved once it exited (nothing when it already has). */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** A bound token of ServiceAccount `pruner` (TokenRequest), written to a private file for --token-file. */
export async function prunerTokenFile(kc: KubeConfig, namespace: string, dir: string): Promise<string> {
  const answer = await kubeRequest<{ status: { token: string } }>(kc, 'POST', `/api/v1/namespaces/${namespace}/serviceaccounts/pruner/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 3600 },
  });
  const file = join(dir, 'token');
  writeFileSync(file, answer.status.token, { mode: 0o600 });
  return file;
}
