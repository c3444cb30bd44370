import { generateKeyPairSync } from 'node:crypto';
import { applyYaml, createTestNamespace, kubeRequest, testKubeConfig } from '@image-registry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullSecretReconciler } from '../src/pull-secret.reconcile.ts';
import { keyIdsFromPem } from '../src/render/key-ids.ts';
import {
  claimsOf,
  createServiceAccount,
  deleteNamespace,
  ensureRegistryService,
  injected,
  managedSecrets,
  publishSigningKey,
  reconcileContext,
  registryHostsFor,
  signingPublicKey,
  startApp,
  tokenOf,
  type RunningApp,
} from './support.ts';

const kc = testKubeConfig();
const poll = { timeout: 90_000, interval: 250 };
const namespaces: string[] = [];
let hosts: string[];
let offsetMs = 0;
let app: RunningApp;

beforeAll(async () => {
  hosts = registryHostsFor((await ensureRegistryService(kc)).clusterIP);
  // The clock the app reads: the real one, moved by the tests.
  app = await startApp(kc, { now: () => Date.now() + offsetMs });
});
afterAll(async () => {
  await app?.stop();
  for (const n of namespaces) await deleteNamespace(kc, n);
  await applyYaml(kc, { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, status: { externalRegistryHostnames: [] } }, { fieldManager: 'routes', subresource: 'status' }).catch(() => undefined);
});

describe('token refresh', () => {
  it('keeps a token until 60 % of its lifetime, then replaces it and asks to come back at the next 60 %', async () => {
    const n = await createTestNamespace(kc, 'refresh');
    namespaces.push(n);
    await createServiceAccount(kc, n, 'sa');
    await expect.poll(() => injected(kc, n, 'sa'), poll).toBeDefined();
    const first = (await injected(kc, n, 'sa')) ?? expect.unreachable();
    const claims = claimsOf(Object.values(first.cfg)[0]);
    const refreshAtMs = ((claims.exp ?? 0) - 0.4 * ((claims.exp ?? 0) - (claims.nbf ?? 0))) * 1000;
    const req = { namespace: n, name: first.secret.metadata.name };
    const reconcile = pullSecretReconciler(app.app.context);

    // Just before the threshold: nothing is written, and the next look is due at the threshold.
    offsetMs = refreshAtMs - 5000 - Date.now();
    const early = await reconcile(req, reconcileContext());
    expect(early?.requeueAfterMs).toBeGreaterThan(0);
    expect(early?.requeueAfterMs).toBeLessThanOrEqual(5000);
    expect(tokenOf(Object.values((await injected(kc, n, 'sa'))?.cfg ?? {})[0])).toBe(tokenOf(Object.values(first.cfg)[0]));

    // Past it: a new token, bound to the same secret.
    offsetMs = refreshAtMs + 1000 - Date.now();
    const late = await reconcile(req, reconcileContext());
    const second = (await injected(kc, n, 'sa')) ?? expect.unreachable();
    const newToken = tokenOf(Object.values(second.cfg)[0]);
    expect(newToken).not.toBe(tokenOf(Object.values(first.cfg)[0]));
    const newClaims = claimsOf(Object.values(second.cfg)[0]);
    expect(newClaims.boundSecretUid).toBe(first.secret.metadata.uid);
    // Next look: at 60 % of the new token's life, as the app's clock reads it.
    const nextAt = ((newClaims.exp ?? 0) - 0.4 * 3600) * 1000;
    expect(late?.requeueAfterMs).toBeGreaterThanOrEqual(Math.max(1000, nextAt - (Date.now() + offsetMs)) - 2000);
    offsetMs = 0;
    const fresh = await reconcile(req, reconcileContext());
    expect(fresh?.requeueAfterMs).toBeGreaterThan(2000 * 1000);
    expect(fresh?.requeueAfterMs).toBeLessThanOrEqual(2160 * 1000);
  });

  it('refreshes every secret when the registry host list changes', async () => {
    const n = await createTestNamespace(kc, 'hosts');
    namespaces.push(n);
    const names = ['a', 'b', 'c', 'd', 'e'];
    for (const sa of names) await createServiceAccount(kc, n, sa);
    const all = [...names, 'default'];
    await expect.poll(async () => (await Promise.all(all.map((sa) => injected(kc, n, sa)))).every(Boolean), poll).toBe(true);
    const before = new Map((await Promise.all(all.map((sa) => injected(kc, n, sa)))).map((i) => [i?.secret.metadata.name, tokenOf(Object.values(i?.cfg ?? {})[0])]));

    // routes publishes a route host: every secret gets an entry for it, with a new token.
    await applyYaml(kc, { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, spec: {} }, { fieldManager: 'routes' });
    await applyYaml(
      kc,
      { apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: { name: 'cluster' }, status: { externalRegistryHostnames: ['default-route-openshift-image-registry.apps.test'] } },
      { fieldManager: 'routes', subresource: 'status' },
    );
    const want = [...hosts, 'default-route-openshift-image-registry.apps.test'].sort();
    await expect
      .poll(async () => {
        const secrets = await managedSecrets(kc, n);
        return secrets.every((s) => {
          const cfg = JSON.parse(Buffer.from(s.data?.['.dockercfg'] ?? '', 'base64').toString()) as Record<string, { auth: string }>;
          return JSON.stringify(Object.keys(cfg).sort()) === JSON.stringify(want) && tokenOf(Object.values(cfg)[0]) !== before.get(s.metadata.name);
        }) && secrets.length === all.length;
      }, poll)
      .toBe(true);
    const refreshes = await app.registry.getSingleMetric('image_registry_pull_secrets_refreshes_total')?.get();
    expect(refreshes?.values.find((v) => v.labels['reason'] === 'hosts')?.value).toBeGreaterThanOrEqual(all.length);
  });
});

describe('signing keys', () => {
  it('re-mints when the published keys drop the kid its tokens carry, and settles on the kid the server signs with', async () => {
    const pem = signingPublicKey();
    if (!pem) return; // k3s: no access to the API server's key
    const n = await createTestNamespace(kc, 'keys');
    namespaces.push(n);
    for (const sa of ['a', 'b']) await createServiceAccount(kc, n, sa);
    const all = ['a', 'b', 'default'];
    await expect.poll(async () => (await Promise.all(all.map((sa) => injected(kc, n, sa)))).every(Boolean), poll).toBe(true);
    const tokens = async () => Promise.all(all.map(async (sa) => tokenOf(Object.values((await injected(kc, n, sa))?.cfg ?? {})[0])));
    const keysRefreshes = async () =>
      (await app.registry.getSingleMetric('image_registry_pull_secrets_refreshes_total')?.get())?.values.find((v) => v.labels['reason'] === 'keys')?.value ?? 0;
    const start = await keysRefreshes();
    const secrets = app.app.context.secrets.list().length;
    try {
      // The published keys name only a key the server does not sign with (a signing-key Secret that lags).
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      await publishSigningKey(kc, other);
      await expect.poll(() => app.app.context.observed.signingKeyIds.join(), poll).toBe(keyIdsFromPem(other).join());
      // At least one secret is re-minted; its token shows the server still signs with its own key…
      await expect.poll(keysRefreshes, poll).toBeGreaterThan(start);
      await expect.poll(() => app.app.context.observed.current()?.keyIds.length, poll).toBe(2);
      // …so the rest stay valid and nothing is rewritten in a loop.
      const settled = await tokens();
      const reconcile = pullSecretReconciler(app.app.context);
      for (const sa of all) {
        const name = (await injected(kc, n, sa))?.secret.metadata.name ?? '';
        expect((await reconcile({ namespace: n, name }, reconcileContext()))?.requeueAfterMs).toBeGreaterThan(2000 * 1000);
      }
      expect(await tokens()).toEqual(settled);
      expect((await keysRefreshes()) - start).toBeLessThanOrEqual(secrets);
    } finally {
      await kubeRequest(kc, 'DELETE', '/api/v1/namespaces/openshift-kube-apiserver/secrets/bound-service-account-signing-key').catch(() => undefined);
    }
  });
});

describe('at idle', () => {
  it('writes nothing across full informer resyncs', async () => {
    await app.stop();
    const pem = signingPublicKey();
    // OpenShift's signing-key Secret spares the once-a-minute key-ID probe (a TokenRequest, counted as a create).
    if (pem) await publishSigningKey(kc, pem);
    const idle = await startApp(kc, { resyncPeriodMs: 2000 });
    try {
      const n = await createTestNamespace(kc, 'idle');
      namespaces.push(n);
      for (const sa of ['a', 'b', 'c']) await createServiceAccount(kc, n, sa);
      await expect.poll(async () => (await Promise.all(['a', 'b', 'c', 'default'].map((sa) => injected(kc, n, sa)))).every(Boolean), poll).toBe(true);
      // Converged everywhere: every managed secret in the cluster has its token for the current hosts.
      await expect.poll(async () => (await managedSecrets(kc)).every((s) => Object.keys(JSON.parse(Buffer.from(s.data?.['.dockercfg'] ?? '', 'base64').toString())).length > 0), poll).toBe(true);
      await expect.poll(() => idle.app.controllers.pullSecrets.running, poll).toBe(true);
      const sas = idle.app.context.serviceAccounts.list().length;
      const secrets = idle.app.context.secrets.list().length;
      // Let in-flight work settle: two successive readings with no write in between a resync.
      let writes = await idle.writes();
      const start = { sa: await idle.reconciles('service-account'), ps: await idle.reconciles('pull-secret') };
      await expect.poll(async () => (await idle.reconciles('service-account')) - start.sa >= sas && (await idle.reconciles('pull-secret')) - start.ps >= secrets, poll).toBe(true);
      writes = await idle.writes();
      const resynced = { sa: await idle.reconciles('service-account'), ps: await idle.reconciles('pull-secret') };
      // Two more full resyncs of every ServiceAccount and every managed secret…
      await expect
        .poll(async () => (await idle.reconciles('service-account')) - resynced.sa >= 2 * sas && (await idle.reconciles('pull-secret')) - resynced.ps >= 2 * secrets, poll)
        .toBe(true);
      // …and not one write.
      expect(await idle.writes()).toBe(writes);
    } finally {
      await idle.stop();
      await kubeRequest(kc, 'DELETE', '/api/v1/namespaces/openshift-kube-apiserver/secrets/bound-service-account-signing-key').catch(() => undefined);
      app = await startApp(kc, { now: () => Date.now() + offsetMs });
    }
  });
});
