import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyYaml,
  createTestNamespace,
  freePort,
  kubeRequest,
  testKubeConfig,
  workspaceRoot,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  applyEmptyDirConfig,
  bundle,
  bundleDir,
  clusterOperatorConditions,
  deleteSingletons,
  getText,
  leaseHolder,
  provisionAllInOne,
  startLauncher,
  stopLauncher,
  type Launcher,
} from './support.ts';

// Four apps' bundles in one launcher process, authenticated as the all-in-one overlay's one ServiceAccount
// (the union of the apps' shipped RBAC), against the real API server.
const apps = ['registry-workload', 'storage', 'status', 'routes'];
// Generous for a busy 2-core machine (converging takes seconds); each test's own timeout leaves room for its polls.
const patience = { timeout: 100_000, interval: 500 };
let kc: KubeConfig;
let namespace: string;
let kubeconfig: string;
let launcher: Launcher | undefined;

beforeAll(async () => {
  await bundle(apps);
  kc = testKubeConfig();
  namespace = await createTestNamespace(kc, 'aio');
  kubeconfig = await provisionAllInOne(kc, namespace);
});

afterEach(async () => {
  await stopLauncher(launcher);
  launcher = undefined;
});

afterAll(async () => {
  // beforeAll may have failed before the cluster was reached: nothing to clean then.
  if (kc) await deleteSingletons(kc);
});

const routeCrd = join(workspaceRoot(), 'deploy/crds/route.openshift.io_routes.yaml');

function launch(
  name: string,
  extra: string[] = [],
  appList = apps.join(','),
): { port: Promise<number>; started: Promise<Launcher> } {
  const port = freePort();
  const started = port.then((p) =>
    startLauncher(
      name,
      [
        `--apps=${appList}`,
        `--bundle-dir=${bundleDir}`,
        `--metrics-bind-address=127.0.0.1:${p}`,
        ...(appList.split(',').includes('routes') ? ['--app-arg=routes:--api-discovery-interval=2s'] : []),
        ...extra,
        '--',
        `--kubeconfig=${kubeconfig}`,
        `--namespace=${namespace}`,
        '--leader-elect=true',
      ],
      { RELEASE_VERSION: '4.99.9' },
    ),
  );
  return { port, started };
}

describe('the launcher', { timeout: 300_000 }, () => {
  it('runs four apps in one process to ClusterOperator Available on emptyDir, each with its own Lease, logs and metrics label; SIGTERM drains them and exits 0', async () => {
    await deleteSingletons(kc);
    await applyEmptyDirConfig(kc);
    const run = launch('converge');
    const port = await run.port;
    launcher = await run.started;

    await expect
      .poll(() => clusterOperatorConditions(kc), patience)
      .toEqual(['Available=True', 'Degraded=False', 'Progressing=False']);
    const deployment = await kubeRequest<{ metadata: { name: string } }>(
      kc,
      'GET',
      `/apis/apps/v1/namespaces/${namespace}/deployments/image-registry`,
    );
    expect(deployment.metadata.name).toBe('image-registry');
    // One Lease per app, each held by a different identity (its own elector), all in one process.
    const holders = await Promise.all(apps.map((a) => leaseHolder(kc, namespace, `${a}-leader`)));
    expect(holders.every((h) => typeof h === 'string' && h.length > 0)).toBe(true);
    expect(new Set(holders).size).toBe(apps.length);
    await expect.poll(async () => (await getText(port, '/readyz')).body, patience).toBe('ok\n');
    const metrics = (await getText(port, '/metrics')).body;
    for (const app of apps) {
      expect(metrics).toContain(`iro_launcher_app_up{app="${app}"} 1`);
      expect(metrics).toMatch(new RegExp(`^controller_runtime_reconcile_total\\{app="${app}",`, 'm'));
    }
    // Every line names its app; none shows the API server refusing the union of the apps' RBAC.
    const lines = launcher.lines();
    expect(new Set(lines.map((l) => l['name']))).toEqual(new Set([...apps, 'launcher']));
    expect(lines.filter((l) => /\b403\b|forbidden/i.test(JSON.stringify(l)))).toEqual([]);

    launcher.child.kill('SIGTERM');
    expect(await launcher.exited).toBe(0);
    // Each app released its own Lease on the way out: a successor need not wait for it to expire.
    expect(await Promise.all(apps.map((a) => leaseHolder(kc, namespace, `${a}-leader`)))).toEqual(
      apps.map(() => ''),
    );
  });

  it('starts only the app whose worker ended again (routes, when the Route API goes away); the others keep their Leases', async () => {
    const run = launch('restart');
    const port = await run.port;
    launcher = await run.started;
    await expect.poll(async () => (await getText(port, '/readyz')).status, patience).toBe(200);
    const holders = () =>
      Promise.all(
        ['registry-workload', 'storage', 'status'].map((a) => leaseHolder(kc, namespace, `${a}-leader`)),
      );
    // Ready does not wait for leadership: read the holders once every app holds its Lease.
    await expect.poll(async () => (await holders()).every((h) => !!h), patience).toBe(true);
    const before = await holders();

    // routes checks the API every 2 s here; a change makes it drain and exit so it starts with the other backend.
    await kubeRequest(
      kc,
      'DELETE',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/routes.route.openshift.io',
    );
    try {
      await expect
        .poll(async () => (await getText(port, '/metrics')).body, patience)
        .toContain('iro_launcher_app_restarts_total{app="routes"} 1');
      await expect.poll(async () => (await getText(port, '/readyz')).status, patience).toBe(200);
      expect(await holders()).toEqual(before);
      const metrics = (await getText(port, '/metrics')).body;
      for (const app of ['registry-workload', 'storage', 'status'])
        expect(metrics).toContain(`iro_launcher_app_restarts_total{app="${app}"} 0`);
      expect(
        launcher
          .lines()
          .some(
            (l) =>
              l['name'] === 'launcher' &&
              l['app'] === 'routes' &&
              l['msg'] === 'app worker exited unexpectedly; starting it again',
          ),
      ).toBe(true);
    } finally {
      await applyYaml(kc, readFileSync(routeCrd, 'utf8'), { fieldManager: 'launcher-test' });
    }
  });

  it('exits 1 naming the app when one keeps crashing, after draining the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'launcher-crash-'));
    const crashing = join(dir, 'main.mjs');
    writeFileSync(crashing, "process.stderr.write('crasher: giving up\\n'); process.exit(1);\n");
    const run = launch('crash-loop', ['--max-restarts=2'], `status,crasher=${crashing}`);
    launcher = await run.started;
    expect(await launcher.exited).toBe(1);
    const lines = launcher.lines();
    expect(
      lines.some(
        (l) =>
          l['level'] === 'fatal' &&
          /crasher exited 3 times in a row \(last exit code 1\)/.test(String(l['msg'])),
      ),
    ).toBe(true);
    // status drained (its SIGTERM path) before the process ended.
    expect(
      lines.some(
        (l) => l['name'] === 'launcher' && l['app'] === 'status' && l['msg'] === 'app worker stopped',
      ),
    ).toBe(true);
  });
});
