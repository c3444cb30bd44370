import { createTestNamespace, kubeRequest, testKubeConfig } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { EventRecorder } from '../src/events.ts';
import { KubeClient } from '../src/kube-client.ts';
import { metricSum } from './support/harness.ts';

interface Event {
  metadata: { name: string };
  reason: string;
  type: string;
  action: string;
  note: string;
  reportingController: string;
  regarding: { kind: string; name: string; namespace?: string };
  related?: { kind: string; name: string };
  series?: { count: number };
}

const poll = { timeout: 30_000, interval: 200 };

async function events(kc: KubeConfig, ns: string, reason?: string): Promise<Event[]> {
  const list = await kubeRequest<{ items: Event[] }>(kc, 'GET', `/apis/events.k8s.io/v1/namespaces/${ns}/events`);
  return list.items.filter((e) => !reason || e.reason === reason);
}

function recorder(kc: KubeConfig, ns: string, registry: Registry, over: Partial<ConstructorParameters<typeof EventRecorder>[0]> = {}) {
  const client = new KubeClient({ kubeConfig: kc, fieldManager: 'image-registry-operator/events-test', registry });
  return new EventRecorder({
    client,
    controller: 'image-registry-operator/events-test',
    namespace: ns,
    self: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'image-registry-events-test', namespace: ns },
    seriesFlushMs: 300,
    ...over,
  });
}

const writes = (registry: Registry) => metricSum(registry, 'rest_client_requests_total', (l) => l['verb'] === 'create' || l['verb'] === 'patch');

describe('Events on the real API server', () => {
  it('records an Event about a namespaced object, and one about a cluster-scoped object on the app', async () => {
    const kc = testKubeConfig();
    const ns = await createTestNamespace(kc, 'events-basic');
    const r = recorder(kc, ns, new Registry());
    r.normal({ apiVersion: 'batch/v1', kind: 'CronJob', name: 'image-pruner', namespace: ns }, 'CronJobCreated', 'Create', 'Created CronJob image-pruner.');
    r.warning({ apiVersion: 'imageregistry.operator.openshift.io/v1', kind: 'Config', name: 'cluster' }, 'StorageFailed', 'Provision', 'Bucket x cannot be created.');
    await expect.poll(async () => (await events(kc, ns)).length, poll).toBe(2);
    const [created] = await events(kc, ns, 'CronJobCreated');
    expect(created).toMatchObject({ type: 'Normal', action: 'Create', reportingController: 'image-registry-operator/events-test', regarding: { kind: 'CronJob', name: 'image-pruner' } });
    const [failed] = await events(kc, ns, 'StorageFailed');
    expect(failed).toMatchObject({ type: 'Warning', regarding: { kind: 'Deployment', name: 'image-registry-events-test' }, related: { kind: 'Config', name: 'cluster' } });
    r.close();
  });

  it('a failure repeated 200 times is one Event whose series counts them, in a handful of writes', async () => {
    const kc = testKubeConfig();
    const ns = await createTestNamespace(kc, 'events-series');
    const registry = new Registry();
    const r = recorder(kc, ns, registry);
    const ref = { apiVersion: 'v1', kind: 'Secret', name: 'image-registry-private-configuration', namespace: ns };
    for (let i = 0; i < 200; i++) r.warning(ref, 'SecretWriteFailed', 'Apply', 'The secret cannot be written: forbidden.');
    await expect.poll(async () => (await events(kc, ns, 'SecretWriteFailed'))[0]?.series?.count, poll).toBe(200);
    expect(await events(kc, ns, 'SecretWriteFailed')).toHaveLength(1);
    // One create, then patches at most every seriesFlushMs: here one or two.
    expect(await writes(registry)).toBeLessThanOrEqual(3);
    // The loop goes on: the same Event keeps counting.
    for (let i = 0; i < 50; i++) r.warning(ref, 'SecretWriteFailed', 'Apply', 'The secret cannot be written: forbidden.');
    await expect.poll(async () => (await events(kc, ns, 'SecretWriteFailed'))[0]?.series?.count, poll).toBe(250);
    expect(await events(kc, ns, 'SecretWriteFailed')).toHaveLength(1);
    r.close();
  });

  it('a flood of different Events stops at the burst instead of hammering the API server', async () => {
    const kc = testKubeConfig();
    const ns = await createTestNamespace(kc, 'events-flood');
    const registry = new Registry();
    const r = recorder(kc, ns, registry, { burst: 5, refillMs: 3_600_000 });
    for (let i = 0; i < 100; i++) r.warning({ apiVersion: 'v1', kind: 'ConfigMap', name: `cm-${i}`, namespace: ns }, 'Flood', 'Apply', `Object ${i} failed.`);
    await expect.poll(async () => (await events(kc, ns, 'Flood')).length, poll).toBe(5);
    expect(await writes(registry)).toBe(5);
    r.close();
  });
});
