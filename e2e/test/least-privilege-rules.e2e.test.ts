// Least privilege, the other half: every shipped rule is needed. One rule taken out of an app's shipped
// RBAC, and the app, run as a process with its own ServiceAccount on a control plane of its own, reports
// the refusal (a condition naming the resource, a 403 in its log and its metrics) and its job is not
// done; the rule put back, it recovers. Spot checks, one app at a time.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { applyYaml, freePort, workspaceRoot, type ControlPlane } from '@image-registry/testing';
import {
  appRbac,
  forbiddenLines,
  provisionApp,
  serviceAccountKubeconfigFile,
  shippedServiceAccount,
  startApp,
  type AppProcess,
} from '../src/system/app-processes.ts';
import { startCluster } from '../src/system/cluster.ts';
import { getObject, type Obj } from '../src/system/convergence.ts';
import { restCounts } from '../src/system/metrics.ts';
import { withoutRule, type RuleMatch } from '../src/system/rbac-rules.ts';

const root = workspaceRoot();
const ns = 'openshift-image-registry';
const logDir = join(root, 'tmp/e2e-least-privilege');
const poll = { timeout: 120_000, interval: 500 };
const configPath = '/apis/imageregistry.operator.openshift.io/v1/configs/cluster';

const condition = (o: Obj | undefined, type: string) => o?.status?.conditions?.find((c) => c.type === type);

interface Case {
  app: string;
  /** The shipped rule taken out. */
  rule: RuleMatch;
  /** What the refusal names (the resource). */
  names: RegExp;
  /** Apps this one waits on, started with their full RBAC. */
  with?: string[];
  args?: string[];
  /** The message of the condition in which the app reports the failure, once it does. */
  reported(kc: KubeConfig): Promise<string | undefined>;
  /** True while the app's job is not done. */
  broken(kc: KubeConfig): Promise<boolean>;
}

const cases: Case[] = [
  {
    app: 'pruner',
    rule: { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['create'] },
    names: /cronjobs/,
    reported: async (kc) => {
      const d = condition(await getObject(kc, '/apis/imageregistry.operator.openshift.io/v1/imagepruners/cluster'), 'Degraded');
      return d?.status === 'True' ? d.message : undefined;
    },
    broken: async (kc) => (await getObject(kc, `/apis/batch/v1/namespaces/${ns}/cronjobs/image-pruner`)) === undefined,
  },
  {
    app: 'storage',
    rule: { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
    names: /secrets/,
    args: ['--degraded-after-seconds=1'],
    reported: async (kc) => {
      const d = condition(await getObject(kc, configPath), 'StorageControllerDegraded');
      return d?.status === 'True' ? d.message : undefined;
    },
    // The refused Secret comes before status.storage names a backend (the app writes `storage: {}` with
    // its failure conditions).
    broken: async (kc) =>
      (await getObject(kc, `/api/v1/namespaces/${ns}/secrets/image-registry-private-configuration`)) === undefined &&
      Object.keys((await getObject(kc, configPath))?.status?.['storage'] ?? {}).every((k) => k === 'managementState'),
  },
  {
    // registry-workload turns Degraded only after 5 minutes unavailable (upstream's rule); at once it
    // reports the failed apply in Progressing, which is what is checked here.
    app: 'registry-workload',
    rule: { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['image-registry'], verbs: ['patch', 'update', 'delete'] },
    names: /deployments/,
    with: ['storage'],
    reported: async (kc) => {
      const p = condition(await getObject(kc, configPath), 'Progressing');
      return p?.reason === 'Error' ? p.message : undefined;
    },
    broken: async (kc) => (await getObject(kc, `/apis/apps/v1/namespaces/${ns}/deployments/image-registry`)) === undefined,
  },
];

let cp: ControlPlane | undefined;
let running: AppProcess[] = [];

afterEach(async () => {
  await Promise.all(
    running.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.child.exitCode !== null) return resolve();
          p.child.once('exit', () => resolve());
          p.child.kill('SIGTERM');
        }),
    ),
  );
  running = [];
  await cp?.stop();
  cp = undefined;
});

/** `dir`: one folder per case, so a later case's processes do not overwrite the logs of an earlier one. */
async function start(dir: string, app: string, kubeconfig: string, args: string[] = []): Promise<AppProcess> {
  const p = startApp({
    root,
    app,
    kubeconfig,
    logDir: dir,
    metricsPort: await freePort(),
    args: [`--namespace=${ns}`, '--leader-elect=false', ...args],
  });
  running.push(p);
  return p;
}

describe('least privilege: every rule is needed', () => {
  for (const c of cases) {
    it(`${c.app} without ${JSON.stringify(c.rule)}: reports the refusal, does not do its job, recovers with the rule`, async () => {
      const dir = join(logDir, c.app);
      mkdirSync(dir, { recursive: true });
      cp = await startCluster(root, 1);
      const kc = cp.kubeConfig;
      await applyYaml(kc, readFileSync(join(root, 'deploy/base/namespace.yaml'), 'utf8'), { fieldManager: 'e2e' });
      for (const other of c.with ?? []) await start(dir, other, await provisionApp(kc, root, other, ns));

      const shipped = appRbac(root, c.app, ns);
      await applyYaml(kc, withoutRule(shipped, c.rule), { fieldManager: 'e2e' });
      const sa = shippedServiceAccount(root, c.app) ?? '';
      const p = await start(dir, c.app, await serviceAccountKubeconfigFile(kc, ns, sa), c.args);

      await expect.poll(() => c.reported(kc), poll).toMatch(c.names);
      expect(await c.reported(kc)).toMatch(/403|forbidden/i);
      expect(await c.broken(kc)).toBe(true);
      expect(forbiddenLines(p.log).filter((l) => c.names.test(l))).not.toEqual([]);
      const [counts] = await restCounts({ [c.app]: p.metricsPort });
      expect(counts?.byCode['403'] ?? 0).toBeGreaterThan(0);

      // The rule back (RBAC takes effect at once): the app's retries succeed; the refusal was that rule.
      await applyYaml(kc, shipped, { fieldManager: 'e2e' });
      await expect.poll(() => c.broken(kc), poll).toBe(false);
      await expect.poll(() => c.reported(kc), poll).toBeUndefined();
    }, 300_000);
  }
});
