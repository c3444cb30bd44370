import type { KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { KubeClient } from '../../src/kube-client.ts';
import { createLogger } from '../../src/logger.ts';
import { Manager } from '../../src/manager.ts';
import { Resources } from '../../src/resources.ts';
import { mirrorController, mirrorLabel, mirrorName, type ConfigMap, type Secret } from './mirror-controller.ts';

export const writeVerbs = ['create', 'update', 'patch', 'apply', 'delete'];

/** Sum of a metric's samples whose labels match. */
export async function metricSum(registry: Registry, name: string, match: (labels: Partial<Record<string, string | number>>) => boolean = () => true): Promise<number> {
  const m = await registry.getSingleMetric(name)?.get();
  return (m?.values ?? []).filter((v) => match(v.labels)).reduce((n, v) => n + v.value, 0);
}

export function writes(registry: Registry): Promise<number> {
  return metricSum(registry, 'rest_client_requests_total', (l) => writeVerbs.includes(String(l['verb'])));
}

/** A manager running the mirror controller in this process (no leader election, no HTTP server). */
export async function startMirror(kc: KubeConfig, namespace: string, opts: { resyncPeriodMs?: number } = {}) {
  const registry = new Registry();
  const logger = createLogger({ level: (process.env['IRO_TEST_LOG_LEVEL'] as 'info' | undefined) ?? 'silent' });
  const client = new KubeClient({ kubeConfig: kc, fieldManager: 'image-registry-operator/mirror-test', registry, logger });
  const mgr = new Manager({ name: 'mirror-test', client, logger });
  const parts = mirrorController(mgr, namespace, opts);
  await mgr.start();
  return { mgr, client, registry, ...parts, stop: () => mgr.stop() };
}

/** What a user does with kubectl, through a client of its own. */
export function userClient(kc: KubeConfig): KubeClient {
  return new KubeClient({ kubeConfig: kc, fieldManager: 'kubectl-test' });
}

export function configMap(namespace: string, name: string, data: Record<string, string>): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: { [mirrorLabel]: 'true' } }, data };
}

/** The mirror Secret's data, decoded, or undefined when it does not exist. */
export async function mirrored(client: KubeClient, namespace: string, cm: string): Promise<Record<string, string> | undefined> {
  const s = (await client.get(Resources.Secret, { namespace, name: mirrorName(cm) })) as Secret | undefined;
  if (!s) return undefined;
  return Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
}
