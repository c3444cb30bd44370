import { KubeClient, Resources, fieldManagerFor, silentLogger } from '@image-registry/controller-runtime';
import { testKubeConfig } from '@image-registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureHttpSecret } from '../src/managed.reconcile.ts';
import type { RegistrySpec } from '../src/render/config.ts';
import { ensureServingTls } from '../src/serving-tls.reconcile.ts';
import { createConfig, getConfig, useWorkloadFixture } from './support.ts';

const f = useWorkloadFixture({ beforeEach, afterEach }, testKubeConfig());
const log = silentLogger();

let client: KubeClient;
beforeEach(() => {
  client = new KubeClient({ kubeConfig: f.kc, fieldManager: fieldManagerFor('registry-workload') });
});
afterEach(() => client.close());

// A cache that never caught up with the app's own writes: every pass sees nothing yet.
const laggingCache = () => undefined;

describe('generate-once values under a lagging cache', () => {
  it('issues one serving CA and certificate, not one per pass', async () => {
    // A real owner: the garbage collector deletes objects whose owner does not exist.
    const owner = await createConfig(f.kc, { managementState: 'Managed', replicas: 1 });
    const tls = { client, secret: laggingCache, namespace: f.ns, ownerUid: owner.metadata.uid, now: new Date(), log };
    const read = async () =>
      Promise.all(['image-registry-serving-ca', 'image-registry-tls'].map(async (name) => (await client.get(Resources.Secret, { namespace: f.ns, name }) as { data?: Record<string, string> } | undefined)?.data?.['tls.crt']));
    await ensureServingTls(tls);
    const first = await read();
    expect(first.every((c) => typeof c === 'string' && c.length > 0)).toBe(true);
    await ensureServingTls(tls);
    await ensureServingTls(tls);
    expect(await read()).toEqual(first);
  });

  it('generates one spec.httpSecret, not one per pass', async () => {
    await createConfig(f.kc, { managementState: 'Managed', replicas: 1 });
    const stale = {} as RegistrySpec; // the cached Config, still without the secret
    let n = 0;
    const ctx = { client, opts: { namespace: f.ns, flavour: 'distribution' as const, image: 'x', servingCert: 'self-signed' as const, random: (len: number) => new Uint8Array(len).fill(++n) } };
    const a = await ensureHttpSecret(ctx, stale, log);
    const b = await ensureHttpSecret(ctx, stale, log);
    expect(b.httpSecret).toBe(a.httpSecret);
    expect((await getConfig(f.kc))?.spec.httpSecret).toBe(a.httpSecret);
  });
});
