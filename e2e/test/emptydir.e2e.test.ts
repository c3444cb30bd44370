// emptydir_test.go, bootstrap_test.go, recreate_deployment_test.go, readonly_test.go.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import {
  deploymentPath,
  ensureAvailable,
  ensureClusterOperatorNormal,
  ensureInternalRegistryHostnameIsSet,
  ensureNotHotLooping,
  freshConfig,
  get,
  kc,
  teardown,
  timeout,
} from '../src/helpers.ts';
import { kubeRequest } from '@image-registry/testing';

interface Deployment {
  metadata: { uid: string };
  spec: {
    template: {
      spec: {
        containers: {
          name: string;
          env?: { name: string; value?: string }[];
          ports?: { name?: string; containerPort: number }[];
        }[];
      };
    };
  };
  status?: { availableReplicas?: number };
}
const registry = () => get<Deployment>(deploymentPath());
const registryEnv = async () =>
  Object.fromEntries(
    ((await registry())?.spec.template.spec.containers.find((c) => c.name === 'registry')?.env ?? []).map(
      (e) => [e.name, e.value],
    ),
  );

describe('emptyDir', () => {
  afterEach(teardown);

  it('TestBasicEmptyDir', async () => {
    await freshConfig({});
    await ensureAvailable();
    await ensureInternalRegistryHostnameIsSet();
    await ensureClusterOperatorNormal();
    await ensureNotHotLooping();
    expect((await registry())?.status?.availableReplicas).toBeGreaterThan(0);
  });

  it('TestBootstrapFailToUpdateSpec', async () => {
    await freshConfig({});
    await ensureAvailable();
    // Upstream greps its operator's log; here the apps that write Config/cluster's spec.
    for (const app of ['registry-workload', 'storage']) {
      expect(readFileSync(join(inject('logDir'), `${app}.log`), 'utf8')).not.toContain(
        'unable to update config spec',
      );
    }
  });

  it('TestRecreateDeployment', async () => {
    await freshConfig({});
    await ensureAvailable();
    const before = await registry();
    await kubeRequest(kc, 'DELETE', deploymentPath());
    await expect
      .poll(async () => (await registry())?.metadata.uid, { timeout })
      .not.toBe(before?.metadata.uid);
    await expect.poll(async () => (await registry())?.metadata.uid, { timeout }).toBeTruthy();
    await ensureAvailable();
  });

  it('TestRestoreDeploymentAfterUserChanges', async () => {
    await freshConfig({});
    await ensureAvailable();
    // What a user's `kubectl edit` would add: an env var and a port on the registry container.
    await kubeRequest(
      kc,
      'PATCH',
      deploymentPath(),
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'registry',
                  env: [{ name: 'FOO', value: 'BAR' }],
                  ports: [{ name: 'foo', containerPort: 2222 }],
                },
              ],
            },
          },
        },
      },
      'application/strategic-merge-patch+json',
    );
    await expect
      .poll(
        async () =>
          (await registry())?.spec.template.spec.containers
            .find((x) => x.name === 'registry')
            ?.env?.some((e) => e.name === 'FOO'),
        { timeout: 10_000 },
      )
      .toBeDefined();
    await expect
      .poll(
        async () => {
          const c = (await registry())?.spec.template.spec.containers.find((x) => x.name === 'registry');
          return {
            foo: (c?.env ?? []).some((e) => e.name === 'FOO'),
            port: (c?.ports ?? []).some((p) => p.containerPort === 2222),
          };
        },
        { timeout: 60_000 },
      )
      .toEqual({ foo: false, port: false });
  });

  it('TestReadOnly', async () => {
    await freshConfig({ readOnly: true });
    await ensureAvailable();
    await expect
      .poll(async () => (await registryEnv())['REGISTRY_STORAGE_MAINTENANCE_READONLY'], { timeout })
      .toBe('{enabled: true}');
  });
});
