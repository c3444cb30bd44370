import { applyYaml, createTestNamespace, kubeRequest, testKubeConfig } from '@image-registry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyConfig, createServiceAccount, deleteConfig, deleteNamespace, ensureRegistryService, injected, startApp, type RunningApp } from './support.ts';

const kc = testKubeConfig();
const poll = { timeout: 120_000, interval: 500 };
let n: string;
let app: RunningApp;

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
const condition = async () => {
  const config = await kubeRequest<{ status?: { conditions?: Condition[] } }>(kc, 'GET', '/apis/imageregistry.operator.openshift.io/v1/configs/cluster');
  return config.status?.conditions?.find((c) => c.type === 'PullSecretsControllerDegraded');
};

beforeAll(async () => {
  await ensureRegistryService(kc);
  await applyConfig(kc, 'Managed');
  n = await createTestNamespace(kc, 'quota');
  app = await startApp(kc, { degradedGraceMs: 1000 });
});
afterAll(async () => {
  await app?.stop();
  await deleteConfig(kc);
  await deleteNamespace(kc, n);
});

describe('a secret that cannot be written', () => {
  it('is an Event on the ServiceAccount and PullSecretsControllerDegraded on the Config, until it can', async () => {
    await expect.poll(condition, poll).toMatchObject({ status: 'False', reason: 'AsExpected' });
    // A quota of no secrets: the API server refuses the pull secret.
    await applyYaml(kc, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'no-secrets', namespace: n }, spec: { hard: { secrets: '0' } } }, { fieldManager: 'test' });
    await expect
      .poll(async () => (await kubeRequest<{ status?: { hard?: Record<string, string> } }>(kc, 'GET', `/api/v1/namespaces/${n}/resourcequotas/no-secrets`)).status?.hard?.['secrets'], poll)
      .toBe('0');
    await createServiceAccount(kc, n, 'blocked');
    const events = async () =>
      (await kubeRequest<{ items: { reason: string; type: string; message: string; involvedObject: { kind: string; name: string } }[] }>(kc, 'GET', `/api/v1/namespaces/${n}/events`)).items.filter(
        (e) => e.involvedObject.kind === 'ServiceAccount' && e.involvedObject.name === 'blocked',
      );
    await expect.poll(async () => (await events()).map((e) => `${e.type} ${e.reason}`), poll).toContain('Warning FailedToWritePullSecret');
    expect((await events())[0]?.message).toMatch(/^Could not create pull secret .*blocked-dockercfg-.*exceeded quota/);
    await expect.poll(condition, poll).toMatchObject({ status: 'True', reason: 'PullSecretWriteFailed' });
    expect((await condition())?.message).toContain(`1 pull secret could not be written (oldest ${n}/blocked)`);

    await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${n}/resourcequotas/no-secrets`);
    await expect.poll(() => injected(kc, n, 'blocked'), poll).toBeDefined();
    await expect.poll(condition, poll).toMatchObject({ status: 'False', reason: 'AsExpected' });
  });
});
