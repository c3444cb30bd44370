import { createTestNamespace, testKubeConfig } from '@image-registry/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Resources } from '../src/resources.ts';
import { configMap, metricSum, mirrored, startMirror, userClient, writes } from './support/harness.ts';
import { mirrorName, type Secret } from './support/mirror-controller.ts';

const poll = { timeout: 30_000, interval: 100 };
let stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const s of stops.reverse()) await s();
  stops = [];
});

describe('a controller against the real API server', () => {
  it('converges from scratch: every existing ConfigMap gets its Secret, owned by it', async () => {
    const kc = testKubeConfig();
    const ns = await createTestNamespace(kc, 'cr-converge');
    const user = userClient(kc);
    for (const n of ['a', 'b', 'c']) await user.create(Resources.ConfigMap, configMap(ns, n, { key: `value-${n}` }));
    const m = await startMirror(kc, ns);
    stops.push(m.stop);
    for (const n of ['a', 'b', 'c']) await expect.poll(() => mirrored(user, ns, n), poll).toEqual({ key: `value-${n}` });
    const secret = (await user.get(Resources.Secret, { namespace: ns, name: mirrorName('a') })) as Secret;
    expect(secret.metadata?.ownerReferences).toEqual([expect.objectContaining({ kind: 'ConfigMap', name: 'a', controller: true })]);
    expect(secret.metadata?.managedFields?.map((f) => `${f.manager}/${f.operation}`)).toEqual(['image-registry-operator/mirror-test/Apply']);
  });

  it('recreates a deleted child and repairs a hand-edited one', async () => {
    const kc = testKubeConfig();
    const ns = await createTestNamespace(kc, 'cr-repair');
    const user = userClient(kc);
    await user.create(Resources.ConfigMap, configMap(ns, 'a', { key: 'v1' }));
    const m = await startMirror(kc, ns);
    stops.push(m.stop);
    await expect.poll(() => mirrored(user, ns, 'a'), poll).toEqual({ key: 'v1' });

    await user.delete(Resources.Secret, { namespace: ns, name: mirrorName('a') });
    await expect.poll(() => mirrored(user, ns, 'a'), poll).toEqual({ key: 'v1' });

    // kubectl edit: an Update by another manager takes the field over; the controller forces it back.
    await user.patch(Resources.Secret, { namespace: ns, name: mirrorName('a') }, { data: { key: Buffer.from('tampered').toString('base64'), extra: 'eA==' } });
    await expect.poll(() => mirrored(user, ns, 'a'), poll).toMatchObject({ key: 'v1' });

    // A change to the parent flows to the child.
    await user.patch(Resources.ConfigMap, { namespace: ns, name: 'a' }, { data: { key: 'v2' } });
    await expect.poll(async () => (await mirrored(user, ns, 'a'))?.['key'], poll).toBe('v2');
  });

  it('sends zero writes when a resync finds everything converged', async () => {
    const kc = testKubeConfig();
    const ns = await createTestNamespace(kc, 'cr-noop');
    const user = userClient(kc);
    for (const n of ['a', 'b', 'c', 'd', 'e']) await user.create(Resources.ConfigMap, configMap(ns, n, { key: n, other: 'x' }));
    const m = await startMirror(kc, ns, { resyncPeriodMs: 300 });
    stops.push(m.stop);
    for (const n of ['a', 'b', 'c', 'd', 'e']) await expect.poll(() => mirrored(user, ns, n), poll).toEqual({ key: n, other: 'x' });
    // Let the watch deliver our own writes back into the cache, then measure.
    await expect.poll(() => m.secrets.list().length, poll).toBe(5);
    await expect.poll(() => m.secrets.list().every((s) => s.metadata?.managedFields?.length), poll).toBe(true);
    const reconciles = () => metricSum(m.registry, 'controller_runtime_reconcile_total', (l) => l['result'] === 'success');
    const before = { writes: await writes(m.registry), reconciles: await reconciles() };
    // Several resyncs: every ConfigMap is reconciled again, at least twice over.
    await expect.poll(reconciles, poll).toBeGreaterThanOrEqual(before.reconciles + 10);
    expect(await writes(m.registry)).toBe(before.writes);
    expect(await metricSum(m.registry, 'apply_skipped_total')).toBeGreaterThanOrEqual(10);
  });
});
