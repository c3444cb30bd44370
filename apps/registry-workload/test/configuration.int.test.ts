import { applyYaml, kubeRequest, KubeRequestError, testKubeConfig } from '@image-registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envOf, getConfig, getDeployment, patchConfig, useWorkloadFixture, waitAvailable, type DeploymentObject } from './support.ts';
import { settled } from './quiet.ts';

const f = useWorkloadFixture({ beforeEach, afterEach }, testKubeConfig());

async function deployment(): Promise<DeploymentObject> {
  const d = await getDeployment(f.kc, f.ns);
  if (!d) throw new Error('no Deployment image-registry yet');
  return d;
}

async function env(): Promise<Record<string, string | undefined>> {
  return envOf(await getDeployment(f.kc, f.ns));
}

// The upstream e2e checks (configuration_test.go, readonly_test.go, failing_test.go) in scope for this app.
describe('Config settings reach the registry Deployment', () => {
  it('generates httpSecret and regenerates a different one when it is set to ""', async () => {
    await f.managed();
    await expect.poll(async () => (await getConfig(f.kc))?.spec.httpSecret ?? '', { timeout: 30_000 }).toMatch(/^[0-9a-f]{128}$/);
    const first = (await getConfig(f.kc))?.spec.httpSecret;
    await patchConfig(f.kc, { httpSecret: '' });
    await expect
      .poll(async () => (await getConfig(f.kc))?.spec.httpSecret ?? '', { timeout: 30_000 })
      .toMatch(/^[0-9a-f]{128}$/);
    await expect.poll(async () => (await getConfig(f.kc))?.spec.httpSecret, { timeout: 30_000 }).not.toBe(first);
    await expect.poll(async () => (await env())['REGISTRY_HTTP_SECRET'], { timeout: 30_000 }).toBe((await getConfig(f.kc))?.spec.httpSecret);
  });

  it('sets the container memory limit from spec.resources', async () => {
    await f.managed({ resources: { limits: { memory: '512Mi' } } });
    await expect.poll(async () => (await deployment()).spec.template.spec.containers[0]?.resources, { timeout: 30_000 }).toEqual({
      limits: { memory: '512Mi' },
    });
  });

  it('uses the Recreate strategy from spec.rolloutStrategy', async () => {
    await f.managed({ rolloutStrategy: 'Recreate' });
    await expect.poll(async () => (await deployment()).spec.strategy, { timeout: 30_000 }).toEqual({ type: 'Recreate' });
  });

  it('copies spec.tolerations to the pods exactly', async () => {
    const tolerations = [{ key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' }];
    await f.managed({ tolerations });
    await expect.poll(async () => (await deployment()).spec.template.spec.tolerations, { timeout: 30_000 }).toEqual(tolerations);
  });

  it('copies spec.affinity to the pods exactly, even when it cannot be scheduled', async () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'no-such-label', operator: 'In', values: ['x'] }] }],
        },
      },
    };
    await f.managed({ affinity });
    await expect.poll(async () => (await deployment()).spec.template.spec.affinity, { timeout: 30_000 }).toEqual(affinity);
  });

  it('passes no proxy by default, the cluster Proxy when set, and spec.proxy over it', async () => {
    await f.managed();
    await expect.poll(async () => Object.keys(await env()).filter((k) => k.endsWith('PROXY')), { timeout: 30_000 }).toEqual([]);
    await applyYaml(
      f.kc,
      { apiVersion: 'config.openshift.io/v1', kind: 'Proxy', metadata: { name: 'cluster' }, spec: {} },
      { fieldManager: 'test' },
    );
    try {
      await applyYaml(
        f.kc,
        {
          apiVersion: 'config.openshift.io/v1',
          kind: 'Proxy',
          metadata: { name: 'cluster' },
          status: { httpProxy: 'http://cluster-proxy:3128', httpsProxy: 'http://cluster-proxy:3129', noProxy: '.cluster.local' },
        },
        { fieldManager: 'test', subresource: 'status' },
      );
      await expect
        .poll(async () => {
          const e = await env();
          return [e['HTTP_PROXY'], e['HTTPS_PROXY'], e['NO_PROXY']];
        }, { timeout: 30_000 })
        .toEqual(['http://cluster-proxy:3128', 'http://cluster-proxy:3129', '.cluster.local']);
      await patchConfig(f.kc, { proxy: { http: 'http://own:1', https: 'http://own:2', noProxy: 'own.example' } });
      await expect
        .poll(async () => {
          const e = await env();
          return [e['HTTP_PROXY'], e['HTTPS_PROXY'], e['NO_PROXY']];
        }, { timeout: 30_000 })
        .toEqual(['http://own:1', 'http://own:2', 'own.example']);
    } finally {
      await kubeRequest(f.kc, 'DELETE', '/apis/config.openshift.io/v1/proxies/cluster').catch(() => undefined);
    }
  });

  it('renders request limits with Go duration formatting (6h0m0s) for the openshift registry', async () => {
    await f.managed(
      { requests: { read: { maxRunning: 1, maxInQueue: 2, maxWaitInQueue: '3s' }, write: { maxRunning: 4, maxInQueue: 5, maxWaitInQueue: '6h' } } },
      { flavour: 'openshift' },
    );
    await expect
      .poll(async () => {
        const e = await env();
        return Object.fromEntries(Object.entries(e).filter(([k]) => k.startsWith('REGISTRY_OPENSHIFT_REQUESTS_')));
      }, { timeout: 30_000 })
      .toEqual({
        REGISTRY_OPENSHIFT_REQUESTS_READ_MAXRUNNING: '1',
        REGISTRY_OPENSHIFT_REQUESTS_READ_MAXINQUEUE: '2',
        REGISTRY_OPENSHIFT_REQUESTS_READ_MAXWAITINQUEUE: '3s',
        REGISTRY_OPENSHIFT_REQUESTS_WRITE_MAXRUNNING: '4',
        REGISTRY_OPENSHIFT_REQUESTS_WRITE_MAXINQUEUE: '5',
        REGISTRY_OPENSHIFT_REQUESTS_WRITE_MAXWAITINQUEUE: '6h0m0s',
      });
  });

  it('disables redirects with spec.disableRedirect', async () => {
    await f.managed({ disableRedirect: true });
    await expect.poll(async () => (await env())['REGISTRY_STORAGE_REDIRECT_DISABLE'], { timeout: 30_000 }).toBe('true');
  });

  it('makes the registry read-only with spec.readOnly', async () => {
    await f.managed({ readOnly: true });
    await expect.poll(async () => (await env())['REGISTRY_STORAGE_MAINTENANCE_READONLY'], { timeout: 30_000 }).toBe('{enabled: true}');
  });

  it('scales up from 2 to 4 replicas (readyReplicas 4) and down to 1', async () => {
    await f.managed({ replicas: 2 });
    await waitAvailable(f.kc);
    await expect.poll(async () => (await getConfig(f.kc))?.status?.readyReplicas, { timeout: 60_000 }).toBe(2);
    await patchConfig(f.kc, { replicas: 4 });
    await expect.poll(async () => (await getConfig(f.kc))?.status?.readyReplicas, { timeout: 120_000 }).toBe(4);
    expect((await deployment()).spec.template.spec.affinity).toBeUndefined();
    await waitAvailable(f.kc);
    await patchConfig(f.kc, { replicas: 1 });
    await expect.poll(async () => (await getConfig(f.kc))?.status?.readyReplicas, { timeout: 120_000 }).toBe(1);
    await waitAvailable(f.kc);
  });

  it('rejects replicas -1 with a message naming replicas', async () => {
    await f.managed();
    await waitAvailable(f.kc);
    const attempt = patchConfig(f.kc, { replicas: -1 });
    await expect(attempt).rejects.toBeInstanceOf(KubeRequestError);
    await expect(attempt).rejects.toThrow(/spec\.replicas/);
    expect((await getConfig(f.kc))?.spec.replicas).toBe(1);
  });

  it('takes back a hand edit of spec.observedConfig before the Deployment renders it', async () => {
    const app = await f.managed();
    await waitAvailable(f.kc);
    const before = await deployment();
    await patchConfig(f.kc, { observedConfig: { servingInfo: { minTLSVersion: 'VersionTLS99' } } });
    await expect
      .poll(async () => ((await getConfig(f.kc))?.spec.observedConfig as { servingInfo?: { minTLSVersion?: string } } | undefined)?.servingInfo?.minTLSVersion, { timeout: 30_000 })
      .toBe('VersionTLS12');
    await settled(f.kc, app);
    const after = await deployment();
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.metadata.generation).toBe(before.metadata.generation);
  });
});
