import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  applyYaml,
  createTestNamespace,
  kubeRequest,
  serviceAccountKubeConfig,
  shippedAppRbac,
  testKubeConfig,
  workspaceRoot,
  writeKubeconfigFile,
} from '@image-registry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteNamespace, managedSecrets, refAnnotation, type SA, type Secret } from './support.ts';

const kc = testKubeConfig();
const namespaces: string[] = [];
let appNamespace: string;
let kubeconfig: string;
let proc: ChildProcess | undefined;

/** The app as it ships: its own process, its shipped RBAC, throttled so a kill lands mid-way. */
function startProcess(): ChildProcess {
  const main = join(workspaceRoot(), 'apps/pull-secrets/src/main.ts');
  const child = spawn(
    process.execPath,
    [
      main,
      `--kubeconfig=${kubeconfig}`,
      `--namespace=${appNamespace}`,
      '--leader-elect=false',
      '--metrics-bind-address=0',
      '--log-level=warn',
      '--kube-api-qps=150',
      '--kube-api-burst=50',
      '--additional-registry-hosts=registry.test:5000',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env['PATH'] ?? '' } },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  child.on('exit', (code, signal) => {
    if (code !== null && code !== 0) process.stderr.write(`pull-secrets exited ${code}: ${stderr}\n`);
    void signal;
  });
  return child;
}

async function listAll<T>(path: string): Promise<T[]> {
  return (await kubeRequest<{ items: T[] }>(kc, 'GET', path)).items;
}

beforeAll(async () => {
  appNamespace = await createTestNamespace(kc, 'ps-app');
  namespaces.push(appNamespace);
  await applyYaml(kc, shippedAppRbac('pull-secrets', appNamespace), { fieldManager: 'test' });
  kubeconfig = writeKubeconfigFile(await serviceAccountKubeConfig(kc, appNamespace, 'image-registry-pull-secrets'));
});
afterAll(async () => {
  proc?.kill('SIGKILL');
  for (const n of namespaces) await deleteNamespace(kc, n);
});

describe('restart safety', () => {
  it('after a SIGKILL mid-way through 1,000 ServiceAccounts, every one ends with exactly one managed secret', async () => {
    for (let i = 0; i < 10; i++) namespaces.push(await createTestNamespace(kc, `restart${i}`));
    const targets = namespaces.slice(1);
    const names = targets.flatMap((ns) => Array.from({ length: 100 }, (_, j) => ({ ns, name: `sa-${j}` })));
    for (let i = 0; i < names.length; i += 25) {
      await Promise.all(
        names.slice(i, i + 25).map(({ ns, name }) =>
          kubeRequest(kc, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } }),
        ),
      );
    }
    const total = names.length + targets.length; // and each namespace's default
    const countManaged = async () => (await Promise.all(targets.map((ns) => managedSecrets(kc, ns)))).flat().length;

    proc = startProcess();
    await expect.poll(countManaged, { timeout: 240_000, interval: 200 }).toBeGreaterThanOrEqual(150);
    proc.kill('SIGKILL');
    await new Promise((r) => proc?.once('exit', r));
    const atKill = await countManaged();
    console.log(`SIGKILL with ${atKill} of ${total} managed secrets created`);
    expect(atKill).toBeLessThan(total); // the kill did land mid-way

    proc = startProcess();
    const converged = async () => {
      let done = 0;
      for (const ns of targets) {
        const [sas, secrets] = await Promise.all([listAll<SA>(`/api/v1/namespaces/${ns}/serviceaccounts`), managedSecrets(kc, ns)]);
        for (const sa of sas) {
          const ref = sa.metadata.annotations?.[refAnnotation];
          const own = secrets.filter((s) => s.metadata.ownerReferences?.some((o) => o.uid === sa.metadata.uid));
          const filled = own[0]?.data?.['.dockercfg'] && Buffer.from(own[0].data['.dockercfg'], 'base64').toString() !== '{}';
          if (ref && own.length === 1 && own[0]?.metadata.name === ref && filled && (sa.imagePullSecrets ?? []).some((r) => r.name === ref)) done++;
        }
      }
      return done;
    };
    await expect.poll(converged, { timeout: 300_000, interval: 2000 }).toBe(total);
    proc.kill('SIGTERM');

    // Exactly one each, listed once; and no managed secret without its ServiceAccount pointing at it.
    for (const ns of targets) {
      const [sas, secrets] = await Promise.all([listAll<SA>(`/api/v1/namespaces/${ns}/serviceaccounts`), managedSecrets(kc, ns)]);
      const byUid = new Map(sas.map((s) => [s.metadata.uid, s]));
      for (const sa of sas) {
        const ref = sa.metadata.annotations?.[refAnnotation];
        expect((sa.imagePullSecrets ?? []).filter((r) => r.name === ref)).toHaveLength(1);
        expect(secrets.filter((s: Secret) => s.metadata.ownerReferences?.some((o) => o.uid === sa.metadata.uid)).map((s) => s.metadata.name)).toEqual([ref]);
      }
      for (const s of secrets) {
        const owner = byUid.get(s.metadata.ownerReferences?.[0]?.uid ?? '');
        expect(owner?.metadata.annotations?.[refAnnotation]).toBe(s.metadata.name);
      }
      expect(secrets).toHaveLength(sas.length);
      // The shipped RBAC lets the app bind system:image-puller.
      expect((await kubeRequest<{ roleRef: { name: string } }>(kc, 'GET', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings/system:image-pullers`)).roleRef.name).toBe('system:image-puller');
    }
  }, 600_000);
});
