import { X509Certificate } from 'node:crypto';
import { KubeClient, Resources, fieldManagerFor, silentLogger, type KubeObject } from '@image-registry/controller-runtime';
import { kubeRequest, testKubeConfig } from '@image-registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureHttpSecret } from '../src/managed.reconcile.ts';
import type { RegistrySpec } from '../src/render/config.ts';
import { annotations } from '../src/render/names.ts';
import { ensureServingTls, publishServingTls } from '../src/serving-tls.reconcile.ts';
import { workloadReconciler } from '../src/workload.reconcile.ts';
import { snapshotCaches } from './snapshot-caches.ts';
import { createConfig, fakeStorage, getConfig, getDeployment, useWorkloadFixture } from './support.ts';

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

interface SecretObject extends KubeObject {
  data: Record<string, string>;
}

const caName = 'image-registry-serving-ca';
const tlsName = 'image-registry-tls';

describe('rotation by deleting a TLS Secret under a lagging cache', () => {
  const secretPath = (name: string) => `/api/v1/namespaces/${f.ns}/secrets/${name}`;
  const live = async (name: string) => (await client.get(Resources.Secret, { namespace: f.ns, name })) as SecretObject | undefined;
  const pem = (s: SecretObject | undefined, key = 'tls.crt') => Buffer.from(s?.data[key] ?? '', 'base64').toString('utf8');
  /** Issues the TLS once, then returns a view frozen at that moment: the informer before the delete reaches it. */
  async function issued() {
    const owner = await createConfig(f.kc, { managementState: 'Managed', replicas: 1 });
    const tls = { client, secret: laggingCache, namespace: f.ns, ownerUid: owner.metadata.uid, now: new Date(), log };
    await ensureServingTls(tls);
    const before: Record<string, SecretObject | undefined> = { [caName]: await live(caName), [tlsName]: await live(tlsName) };
    return { before, stale: { ...tls, secret: (name: string) => before[name] } };
  }

  it('re-issues the serving certificate when its Secret is deleted while the cache still holds it', async () => {
    const { before, stale } = await issued();
    await kubeRequest(f.kc, 'DELETE', secretPath(tlsName));
    const { written } = await publishServingTls(stale);
    const after = await live(tlsName);
    expect(after?.metadata?.uid).not.toBe(before[tlsName]?.metadata?.uid);
    expect(pem(after)).not.toBe(pem(before[tlsName]));
    // Still signed by the CA that was kept, and what the pass returns is what the cluster holds.
    expect((await live(caName))?.data['tls.crt']).toBe(before[caName]?.data['tls.crt']);
    expect(new X509Certificate(pem(after)).verify(new X509Certificate(pem(before[caName])).publicKey)).toBe(true);
    expect(written.find((o) => o.kind === 'Secret' && o.metadata?.name === tlsName)?.metadata?.uid).toBe(after?.metadata?.uid);
  });

  it('issues a new CA, bundle and certificate when the CA Secret is deleted while the cache still holds it', async () => {
    const { before, stale } = await issued();
    await kubeRequest(f.kc, 'DELETE', secretPath(caName));
    await ensureServingTls(stale);
    const ca = await live(caName);
    expect(pem(ca)).not.toBe(pem(before[caName]));
    const serving = await live(tlsName);
    expect(new X509Certificate(pem(serving)).verify(new X509Certificate(pem(ca)).publicKey)).toBe(true);
    const bundle = (await client.get(Resources.ConfigMap, { namespace: f.ns, name: 'serviceca' })) as (KubeObject & { data: Record<string, string> }) | undefined;
    expect(bundle?.data['service-ca.crt']).toContain(pem(ca).trim());
  });

  it('plans again when the Secret was replaced by another one meanwhile', async () => {
    const { before, stale } = await issued();
    await kubeRequest(f.kc, 'DELETE', secretPath(tlsName));
    // Someone else's Secret under the name, with nothing the registry could serve.
    await kubeRequest(f.kc, 'POST', `/api/v1/namespaces/${f.ns}/secrets`, { metadata: { name: tlsName }, type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } });
    await ensureServingTls(stale);
    const after = await live(tlsName);
    expect(pem(after)).toMatch(/BEGIN CERTIFICATE/);
    expect(pem(after)).not.toBe(pem(before[tlsName]));
  });
});

describe('one rotation, one rollout', () => {
  it('changes the pod template once when the serving certificate is re-issued', async () => {
    await createConfig(f.kc, { managementState: 'Managed', replicas: 1, storage: { emptyDir: {} } });
    await fakeStorage(f.kc, { emptyDir: {}, managementState: 'Managed' });
    const view = snapshotCaches(client, f.ns);
    const reconcile = workloadReconciler(client, view.caches, { namespace: f.ns, flavour: 'distribution', image: 'registry:test', servingCert: 'self-signed' });
    // Each pass reads the caches as they were when it started; catchUp() is the informer delivering events.
    const pass = async () => {
      await reconcile({ name: 'cluster' }, { log, signal: new AbortController().signal, reconcileID: 'test' });
      await view.catchUp();
    };
    const template = async () => {
      const d = await getDeployment(f.kc, f.ns);
      return { generation: d?.metadata.generation ?? 0, checksum: d?.spec.template.metadata.annotations?.[annotations.dependenciesChecksum] };
    };
    await view.catchUp();
    for (let i = 0; i < 3; i++) await pass();
    const before = await template();
    expect(before.checksum).toBeDefined();
    await kubeRequest(f.kc, 'DELETE', `/api/v1/namespaces/${f.ns}/secrets/${tlsName}`);
    await view.catchUp(); // the informer saw the delete; the next pass re-issues
    for (let i = 0; i < 3; i++) await pass();
    const after = await template();
    expect(after.checksum).not.toBe(before.checksum);
    expect(after.generation - before.generation).toBe(1);
  });
});
