import { createTestNamespace, kubeRequest, testKubeConfig } from '@image-registry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdsFromPem } from '../src/render/key-ids.ts';
import {
  claimsOf,
  createServiceAccount,
  deleteNamespace,
  ensureRegistryService,
  getOrUndefined,
  injected,
  managedSecrets,
  refAnnotation,
  registryHostsFor,
  saPath,
  secretPath,
  signingPublicKey,
  startApp,
  tokenOf,
  tokenReview,
  type RunningApp,
  type SA,
} from './support.ts';

const kc = testKubeConfig();
const poll = { timeout: 60_000, interval: 250 };
let app: RunningApp;
let hosts: string[];
const namespaces: string[] = [];
const ns = async (prefix: string) => {
  const n = await createTestNamespace(kc, prefix);
  namespaces.push(n);
  return n;
};

beforeAll(async () => {
  hosts = registryHostsFor((await ensureRegistryService(kc)).clusterIP);
  app = await startApp(kc, { ignoredNamespaces: ['ignored-by-flag'] });
});
afterAll(async () => {
  await app?.stop();
  for (const n of namespaces) await deleteNamespace(kc, n);
});

describe('a ServiceAccount and its pull secret', () => {
  it('gets a managed dockercfg secret, the annotation and the imagePullSecrets entry within seconds', async () => {
    const n = await ns('inject');
    await createServiceAccount(kc, n, 'builder', ['users-own']);
    const got = await expect.poll(() => injected(kc, n, 'builder'), poll).toBeDefined().then(() => injected(kc, n, 'builder'));
    const { sa, secret, cfg } = got ?? expect.unreachable();
    const name = sa.metadata.annotations?.[refAnnotation] ?? '';
    expect(name).toMatch(/^builder-dockercfg-[a-z0-9]{5}$/);
    expect(sa.imagePullSecrets).toEqual([{ name: 'users-own' }, { name }]);
    expect(secret.type).toBe('kubernetes.io/dockercfg');
    expect(secret.metadata.labels).toEqual({ 'imageregistry.operator.openshift.io/pull-secrets': 'managed' });
    expect(secret.metadata.annotations).toMatchObject({
      'openshift.io/internal-registry-auth-token.service-account': 'builder',
      'openshift.io/internal-registry-auth-token.binding': 'bound',
    });
    expect(secret.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ServiceAccount', name: 'builder', uid: sa.metadata.uid }]);
    expect(Object.keys(cfg).sort()).toEqual(hosts);
    for (const entry of Object.values(cfg)) expect(Object.keys(entry)).toEqual(['auth']);
    expect(new Set(Object.values(cfg).map((e) => e.auth)).size).toBe(1);
    // The namespace's pods may pull its images.
    const rb = await expect
      .poll(() => getOrUndefined<{ roleRef: unknown; subjects: unknown }>(kc, `/apis/rbac.authorization.k8s.io/v1/namespaces/${n}/rolebindings/system:image-pullers`), poll)
      .toBeDefined()
      .then(() => kubeRequest<{ roleRef: unknown; subjects: unknown }>(kc, 'GET', `/apis/rbac.authorization.k8s.io/v1/namespaces/${n}/rolebindings/system:image-pullers`));
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:image-puller' });
    expect(rb.subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `system:serviceaccounts:${n}` }]);
  });

  it('issues a token signed with the API server key, bound to the secret, that stops working when the secret is deleted', async () => {
    const n = await ns('token');
    await createServiceAccount(kc, n, 'deployer');
    await expect.poll(() => injected(kc, n, 'deployer'), poll).toBeDefined();
    const { sa, secret, cfg } = (await injected(kc, n, 'deployer')) ?? expect.unreachable();
    const claims = claimsOf(Object.values(cfg)[0]);
    const pem = signingPublicKey();
    if (pem) expect(keyIdsFromPem(pem)).toContain(claims.kid);
    expect(claims.boundSecretUid).toBe(secret.metadata.uid);
    expect(claims.serviceAccountUid).toBe(sa.metadata.uid);
    // Default expiry (1 h), no audience of ours.
    expect((claims.exp ?? 0) - (claims.nbf ?? 0)).toBe(3600);
    const token = tokenOf(Object.values(cfg)[0]);
    expect(await tokenReview(kc, token)).toMatchObject({ authenticated: true, user: { username: `system:serviceaccount:${n}:deployer` } });

    await kubeRequest(kc, 'DELETE', secretPath(n, secret.metadata.name));
    await expect.poll(async () => (await tokenReview(kc, token)).authenticated ?? false, poll).toBe(false);
    // The SA still names it: the app re-creates the secret under the same name, with a new token.
    await expect
      .poll(async () => {
        const again = await injected(kc, n, 'deployer');
        return again && again.secret.metadata.uid !== secret.metadata.uid ? again.secret.metadata.name : undefined;
      }, poll)
      .toBe(secret.metadata.name);
  });

  it('keeps the entries other people put in imagePullSecrets', async () => {
    const n = await ns('keep');
    await createServiceAccount(kc, n, 'app', ['first']);
    await expect.poll(() => injected(kc, n, 'app'), poll).toBeDefined();
    const ref = (await injected(kc, n, 'app'))?.sa.metadata.annotations?.[refAnnotation] ?? '';
    // A user replaces the whole list, dropping ours: the app puts its entry back after theirs.
    await kubeRequest(kc, 'PATCH', saPath(n, 'app'), { imagePullSecrets: [{ name: 'first' }, { name: 'second' }] }, 'application/merge-patch+json');
    await expect
      .poll(async () => (await getOrUndefined<SA>(kc, saPath(n, 'app')))?.imagePullSecrets, poll)
      .toEqual([{ name: 'first' }, { name: 'second' }, { name: ref }]);
    // And adding one of theirs later keeps ours.
    await kubeRequest(kc, 'PATCH', saPath(n, 'app'), { imagePullSecrets: [{ name: 'first' }, { name: 'second' }, { name: ref }, { name: 'third' }] }, 'application/merge-patch+json');
    await expect.poll(async () => (await managedSecrets(kc, n)).filter((s) => s.metadata.annotations?.['openshift.io/internal-registry-auth-token.service-account'] === 'app').length, poll).toBe(1);
    expect((await getOrUndefined<SA>(kc, saPath(n, 'app')))?.imagePullSecrets).toEqual([{ name: 'first' }, { name: 'second' }, { name: ref }, { name: 'third' }]);
  });

  it('never overwrites a secret of someone else that the annotation names', async () => {
    const n = await ns('foreign');
    await kubeRequest(kc, 'POST', `/api/v1/namespaces/${n}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mine' }, stringData: { keep: 'me' } });
    await kubeRequest(kc, 'POST', `/api/v1/namespaces/${n}/serviceaccounts`, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'sa', annotations: { [refAnnotation]: 'mine' } },
    });
    await expect.poll(() => injected(kc, n, 'sa'), poll).toBeDefined();
    const got = await injected(kc, n, 'sa');
    expect(got?.secret.metadata.name).toMatch(/^sa-dockercfg-/);
    const mine = await kubeRequest<{ data: Record<string, string>; type: string }>(kc, 'GET', secretPath(n, 'mine'));
    expect(mine.data).toEqual({ keep: Buffer.from('me').toString('base64') });
    expect(mine.type).toBe('Opaque');
  });

  it('deletes a managed secret its ServiceAccount no longer names (an orphan), and takes it out of imagePullSecrets', async () => {
    const n = await ns('orphan');
    await createServiceAccount(kc, n, 'sa');
    await expect.poll(() => injected(kc, n, 'sa'), poll).toBeDefined();
    const sa = (await injected(kc, n, 'sa'))?.sa ?? expect.unreachable();
    const ref = sa.metadata.annotations?.[refAnnotation] ?? '';
    // A second managed secret for the same SA (say, from an old copy of the app), listed on the SA too.
    await kubeRequest(kc, 'PATCH', saPath(n, 'sa'), { imagePullSecrets: [{ name: ref }, { name: 'sa-dockercfg-zzzzz' }] }, 'application/merge-patch+json');
    await kubeRequest(kc, 'POST', `/api/v1/namespaces/${n}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/dockercfg',
      metadata: {
        name: 'sa-dockercfg-zzzzz',
        labels: { 'imageregistry.operator.openshift.io/pull-secrets': 'managed' },
        annotations: { 'openshift.io/internal-registry-auth-token.service-account': 'sa' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'ServiceAccount', name: 'sa', uid: sa.metadata.uid }],
      },
      data: { '.dockercfg': Buffer.from('{}').toString('base64') },
    });
    await expect.poll(() => getOrUndefined(kc, secretPath(n, 'sa-dockercfg-zzzzz')), poll).toBeUndefined();
    await expect.poll(async () => (await getOrUndefined<SA>(kc, saPath(n, 'sa')))?.imagePullSecrets, poll).toEqual([{ name: ref }]);
    const forSa = (await managedSecrets(kc, n)).filter((s) => s.metadata.annotations?.['openshift.io/internal-registry-auth-token.service-account'] === 'sa');
    expect(forSa.map((s) => s.metadata.name)).toEqual([ref]);
  });

  it('leaves ignored namespaces untouched', async () => {
    // The first app watches everything: stop it so only the one with the knobs runs.
    await app.stop();
    const ignored = `ignored-${Date.now().toString(36)}`;
    const other = await startApp(kc, { ignoredNamespaces: [ignored], ignoreSystemNamespaces: true });
    try {
      const system = `openshift-ps-${Date.now().toString(36)}`;
      for (const name of [ignored, system]) {
        await kubeRequest(kc, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
        namespaces.push(name);
      }
      await createServiceAccount(kc, ignored, 'sa');
      await expect.poll(() => getOrUndefined(kc, saPath(system, 'default')), poll).toBeDefined();
      await expect.poll(() => getOrUndefined(kc, saPath(ignored, 'default')), poll).toBeDefined();
      const before = await Promise.all([getOrUndefined<SA>(kc, saPath(ignored, 'sa')), getOrUndefined<SA>(kc, saPath(system, 'default'))]);
      // Sentinel: a namespace created after them converges, so they were looked at.
      const sentinel = await ns('sentinel');
      await createServiceAccount(kc, sentinel, 'sa');
      await expect.poll(() => injected(kc, sentinel, 'sa'), poll).toBeDefined();
      const after = await Promise.all([getOrUndefined<SA>(kc, saPath(ignored, 'sa')), getOrUndefined<SA>(kc, saPath(system, 'default'))]);
      expect(after.map((s) => s?.metadata.resourceVersion)).toEqual(before.map((s) => s?.metadata.resourceVersion));
      expect(after.map((s) => s?.metadata.annotations?.[refAnnotation])).toEqual([undefined, undefined]);
      expect([...(await managedSecrets(kc, ignored)), ...(await managedSecrets(kc, system))]).toEqual([]);
      expect(await getOrUndefined(kc, `/apis/rbac.authorization.k8s.io/v1/namespaces/${ignored}/rolebindings/system:image-pullers`)).toBeUndefined();
      expect(await getOrUndefined(kc, `/apis/rbac.authorization.k8s.io/v1/namespaces/${system}/rolebindings/system:image-pullers`)).toBeUndefined();
    } finally {
      await other.stop();
      app = await startApp(kc);
    }
  });
});
