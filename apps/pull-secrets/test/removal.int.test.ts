import { createTestNamespace, kubeRequest, testKubeConfig } from '@image-registry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAccountReconciler } from '../src/service-account.reconcile.ts';
import {
  applyConfig,
  createServiceAccount,
  deleteConfig,
  deleteNamespace,
  ensureRegistryService,
  getOrUndefined,
  injected,
  reconcileContext,
  refAnnotation,
  saPath,
  secretPath,
  startApp,
  type SA,
} from './support.ts';

const kc = testKubeConfig();
const poll = { timeout: 90_000, interval: 250 };
let n: string;
const rbPath = () => `/apis/rbac.authorization.k8s.io/v1/namespaces/${n}/rolebindings/system:image-pullers`;

beforeAll(async () => {
  await ensureRegistryService(kc);
  n = await createTestNamespace(kc, 'removed');
});
afterAll(async () => {
  await deleteConfig(kc);
  await deleteNamespace(kc, n);
});

describe('managementState Removed', () => {
  it('takes back the injected secrets and RoleBindings, except young ones and those a Pod uses, and brings them back when Managed', async () => {
    await applyConfig(kc, 'Managed');
    let app = await startApp(kc);
    try {
      await createServiceAccount(kc, n, 'a', ['users-own']);
      await createServiceAccount(kc, n, 'b');
      await expect.poll(async () => Boolean((await injected(kc, n, 'a')) && (await injected(kc, n, 'b'))), poll).toBe(true);
      await expect.poll(() => getOrUndefined(kc, rbPath()), poll).toBeDefined();
      const secretA = (await injected(kc, n, 'a'))?.secret.metadata.name ?? '';
      const secretB = (await injected(kc, n, 'b'))?.secret.metadata.name ?? '';
      await kubeRequest(kc, 'POST', `/api/v1/namespaces/${n}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'uses-b' },
        spec: { serviceAccountName: 'b', imagePullSecrets: [{ name: secretB }], containers: [{ name: 'c', image: 'example.invalid/app:1' }] },
      });

      // Removed, with the default minimum age: the RoleBinding goes, the minutes-old secrets stay.
      await applyConfig(kc, 'Removed');
      await expect.poll(() => getOrUndefined(kc, rbPath()), poll).toBeUndefined();
      const young = await serviceAccountReconciler(app.app.context)({ namespace: n, name: 'a' }, reconcileContext());
      expect(young?.requeueAfterMs).toBeGreaterThan(9 * 60_000);
      expect(young?.requeueAfterMs).toBeLessThanOrEqual(10 * 60_000);
      expect(await getOrUndefined(kc, secretPath(n, secretA))).toBeDefined();

      // Past the minimum age (here: none): a's secret and entry go, the user's entry and the annotation stay.
      await app.stop();
      app = await startApp(kc, { removalMinAgeMs: 0 });
      await expect.poll(() => getOrUndefined(kc, secretPath(n, secretA)), poll).toBeUndefined();
      await expect.poll(async () => (await getOrUndefined<SA>(kc, saPath(n, 'a')))?.imagePullSecrets, poll).toEqual([{ name: 'users-own' }]);
      expect((await getOrUndefined<SA>(kc, saPath(n, 'a')))?.metadata.annotations?.[refAnnotation]).toBe(secretA);
      // b's secret is still in use by a Pod: kept, and looked at again later.
      const inUse = await serviceAccountReconciler(app.app.context)({ namespace: n, name: 'b' }, reconcileContext());
      expect(inUse?.requeueAfterMs).toBeGreaterThan(60_000);
      expect(await getOrUndefined(kc, secretPath(n, secretB))).toBeDefined();
      expect((await getOrUndefined<SA>(kc, saPath(n, 'b')))?.imagePullSecrets).toEqual([{ name: secretB }]);

      // Managed again: the same names come back.
      await applyConfig(kc, 'Managed');
      await expect.poll(async () => (await injected(kc, n, 'a'))?.secret.metadata.name, poll).toBe(secretA);
      expect((await getOrUndefined<SA>(kc, saPath(n, 'a')))?.imagePullSecrets).toEqual([{ name: 'users-own' }, { name: secretA }]);
      await expect.poll(() => getOrUndefined(kc, rbPath()), poll).toBeDefined();
    } finally {
      await app.stop();
    }
  });
});
