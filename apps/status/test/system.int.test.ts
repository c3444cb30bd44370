import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyYaml,
  createTestNamespace,
  testKubeConfig,
  testKubeconfigPath,
  workspaceRoot,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminManager, clusterOperatorConditions, deleteSingletons } from './support.ts';

// The whole path a cluster admin sees: registry-workload, storage and status as separate processes,
// coordinating only through the API server, on a Config with emptyDir storage.
const apps = ['registry-workload', 'storage', 'status'] as const;
const mainOf = (app: string) => join(workspaceRoot(), 'apps', app, 'src/main.ts');
// Until an app is implemented its main.ts only says so; the test runs once all three exist.
const implemented = apps.every((app) => !readFileSync(mainOf(app), 'utf8').includes('not implemented yet'));
const logDir = join(workspaceRoot(), 'tmp/status-system-test');

let kc: KubeConfig;
const children: ChildProcess[] = [];

beforeAll(() => {
  kc = testKubeConfig();
});

afterEach(async () => {
  await Promise.all(
    children.splice(0).map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  await deleteSingletons(kc);
});

function start(app: string, namespace: string): void {
  mkdirSync(logDir, { recursive: true });
  const log = openSync(join(logDir, `${app}.log`), 'w');
  const args = [
    mainOf(app),
    `--kubeconfig=${testKubeconfigPath()}`,
    `--namespace=${namespace}`,
    '--leader-elect=false',
    '--metrics-bind-address=0',
  ];
  children.push(
    spawn(process.execPath, args, {
      stdio: ['ignore', log, log],
      env: { ...process.env, RELEASE_VERSION: '4.99.9' },
    }),
  );
}

describe.skipIf(!implemented)('registry-workload, storage and status as separate processes', () => {
  it('bring ClusterOperator image-registry to Available, not Progressing, not Degraded on emptyDir', async () => {
    await deleteSingletons(kc);
    const namespace = await createTestNamespace(kc, 'status-system');
    await applyYaml(
      kc,
      {
        apiVersion: 'imageregistry.operator.openshift.io/v1',
        kind: 'Config',
        metadata: { name: 'cluster' },
        spec: { managementState: 'Managed', replicas: 1, storage: { emptyDir: {} } },
      },
      { fieldManager: adminManager },
    );
    for (const app of apps) start(app, namespace);

    await expect
      .poll(async () => (await clusterOperatorConditions(kc)).map((c) => `${c.type}=${c.status}`), {
        timeout: 120_000,
        interval: 500,
      })
      .toEqual(['Available=True', 'Progressing=False', 'Degraded=False']);
    // Available because registry-workload says the registry is ready, not for want of any report.
    const available = (await clusterOperatorConditions(kc))[0];
    expect(available?.reason).toBe('Ready');
    expect(available?.message?.split('\n')[0]).toBe('Available: The registry is ready');
  });
});
