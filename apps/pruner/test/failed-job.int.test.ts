import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Manager } from '@image-registry/controller-runtime';
import { createTestNamespace, kubeRequest, testKubeconfigPath, testKubeConfig, workspaceRoot } from '@image-registry/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { applyConfig, applyImageHostname, clusterOperatorPath, deleteSingletons, getOrUndefined, prunerConditions, startPruner, stopProcess } from './support.ts';

const kc = testKubeConfig();
const poll = { timeout: 90_000, interval: 500 };

interface ClusterOperatorView {
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

/** The status app as its own process, the way it runs in a cluster (minus leader election). */
function startStatusProcess(namespace: string): ChildProcess {
  const main = join(workspaceRoot(), 'apps/status/src/main.ts');
  const child = spawn(
    process.execPath,
    [main, `--kubeconfig=${testKubeconfigPath()}`, `--namespace=${namespace}`, '--metrics-bind-address=127.0.0.1:0', '--leader-elect=false'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.resume();
  return child;
}

describe('a failed prune job', () => {
  let app: { manager: Manager } | undefined;
  let status: ChildProcess | undefined;
  afterEach(async () => {
    await app?.manager.stop();
    await stopProcess(status);
  });

  it('turns ImagePruner Failed True and the ClusterOperator Degraded ImagePrunerJobFailed', async () => {
    await deleteSingletons(kc);
    const namespace = await createTestNamespace(kc, 'pruner-fail');
    await applyConfig(kc, 'Managed');
    await applyImageHostname(kc, 'image-registry.openshift-image-registry.svc:5000');
    app = await startPruner(kc, { namespace });
    status = startStatusProcess(namespace);
    await expect.poll(() => prunerConditions(kc).then((c) => c['Available']?.status), poll).toBe('True');

    // A Job of the CronJob's kind that the job controller itself fails: its deadline passes first.
    await kubeRequest(kc, 'POST', `/apis/batch/v1/namespaces/${namespace}/jobs`, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'image-pruner-failed', labels: { 'created-by': 'image-pruner' } },
      spec: {
        activeDeadlineSeconds: 1,
        backoffLimit: 0,
        template: {
          metadata: { labels: { app: 'image-pruner' } },
          spec: {
            restartPolicy: 'Never',
            // Never scheduled, so the deadline (not kwok completing the pod) decides the outcome.
            nodeSelector: { 'image-registry-operator.test/no-such-node': 'true' },
            containers: [{ name: 'image-pruner', image: 'cli:test', command: ['false'] }],
          },
        },
      },
    });
    await expect.poll(() => prunerConditions(kc).then((c) => c['Failed']), poll).toMatchObject({ status: 'True', reason: 'DeadlineExceeded' });
    const conditions = await prunerConditions(kc);
    expect(conditions['Degraded']).toMatchObject({ status: 'True', reason: 'JobFailed', message: conditions['Failed']?.message });
    await expect
      .poll(async () => {
        const co = await getOrUndefined<ClusterOperatorView>(kc, clusterOperatorPath);
        return co?.status?.conditions?.find((c) => c.type === 'Degraded');
      }, poll)
      .toMatchObject({ status: 'True', reason: expect.stringContaining('ImagePrunerJobFailed') });
  }, 240_000);
});
