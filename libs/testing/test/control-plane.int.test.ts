import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  applyYaml,
  createTestNamespace,
  kubeRequest,
  KubeRequestError,
  startControlPlane,
  testKubeConfig,
} from '../src/index.ts';

interface Obj {
  metadata: { name: string; uid: string };
  status?: Record<string, unknown>;
}

const kc = testKubeConfig();
const get = <T = Obj>(path: string) => kubeRequest<T>(kc, 'GET', path);

const podSpec = { containers: [{ name: 'c', image: 'example.invalid/app:1' }] };

describe('control plane', () => {
  it('runs a Deployment with 2 replicas to 2 available replicas on fake nodes', async () => {
    const ns = await createTestNamespace(kc, 'deploy');
    await applyYaml(kc, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: podSpec },
      },
    });
    await expect
      .poll(async () => (await get(`/apis/apps/v1/namespaces/${ns}/deployments/web`)).status?.['availableReplicas'], {
        timeout: 60_000,
      })
      .toBe(2);
  });

  it('makes a DaemonSet ready on every fake node', async () => {
    const ns = await createTestNamespace(kc, 'ds');
    await applyYaml(kc, {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: ns },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: podSpec },
      },
    });
    const nodes = await get<{ items: unknown[] }>('/api/v1/nodes');
    await expect
      .poll(async () => (await get(`/apis/apps/v1/namespaces/${ns}/daemonsets/agent`)).status?.['numberReady'], {
        timeout: 60_000,
      })
      .toBe(nodes.items.length);
  });

  it('completes a Job: its pod Succeeds', async () => {
    const ns = await createTestNamespace(kc, 'job');
    await applyYaml(kc, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'once', namespace: ns },
      spec: { template: { spec: { ...podSpec, restartPolicy: 'Never' } } },
    });
    await expect
      .poll(async () => (await get(`/apis/batch/v1/namespaces/${ns}/jobs/once`)).status?.['succeeded'], {
        timeout: 60_000,
      })
      .toBe(1);
    const pods = await get<{ items: { status: { phase: string } }[] }>(
      `/api/v1/namespaces/${ns}/pods?labelSelector=job-name%3Donce`,
    );
    expect(pods.items.map((p) => p.status.phase)).toContain('Succeeded');
  });

  it('garbage-collects a dependent when its owner is deleted', async () => {
    const ns = await createTestNamespace(kc, 'gc');
    const [owner] = await applyYaml(kc, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: ns } });
    const ownerUid = (owner as unknown as Obj).metadata.uid;
    await applyYaml(kc, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'dependent',
        namespace: ns,
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: ownerUid }],
      },
    });
    await kubeRequest(kc, 'DELETE', `/api/v1/namespaces/${ns}/configmaps/owner`);
    await expect
      .poll(
        async () =>
          get(`/api/v1/namespaces/${ns}/configmaps/dependent`).then(
            () => 'present',
            (e: unknown) => (e instanceof KubeRequestError ? e.status : e),
          ),
        { timeout: 60_000 },
      )
      .toBe(404);
  });

  it('issues ServiceAccount tokens that authenticate, and RBAC denies what is not granted', async () => {
    const ns = await createTestNamespace(kc, 'token');
    await applyYaml(kc, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: ns } });
    const tr = await kubeRequest<{ status: { token: string } }>(
      kc,
      'POST',
      `/api/v1/namespaces/${ns}/serviceaccounts/robot/token`,
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } },
    );
    const review = await kubeRequest<{ status: { authenticated: boolean; user: { username: string } } }>(
      kc,
      'POST',
      '/apis/authentication.k8s.io/v1/tokenreviews',
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: tr.status.token } },
    );
    expect(review.status.authenticated).toBe(true);
    expect(review.status.user.username).toBe(`system:serviceaccount:${ns}:robot`);

    const robot = new KubeConfig();
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('no cluster');
    robot.loadFromOptions({
      clusters: [cluster],
      users: [{ name: 'robot', token: tr.status.token }],
      contexts: [{ name: 'robot', cluster: cluster.name, user: 'robot' }],
      currentContext: 'robot',
    });
    const denied = await kubeRequest(robot, 'GET', `/api/v1/namespaces/${ns}/secrets`).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(KubeRequestError);
    expect((denied as KubeRequestError).status).toBe(403);
  });

  it('keeps etcd data across a kube-apiserver restart', async () => {
    const cp = await startControlPlane({ nodes: 1 });
    try {
      await applyYaml(cp.kubeConfig, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'survivor', namespace: 'default' },
        data: { k: 'v' },
      });
      await cp.restartApiServer();
      const cm = await kubeRequest<{ data: Record<string, string> }>(
        cp.kubeConfig,
        'GET',
        '/api/v1/namespaces/default/configmaps/survivor',
      );
      expect(cm.data).toEqual({ k: 'v' });
    } finally {
      await cp.stop();
    }
  });

  it('leaves no process and no run folder behind when the test process is SIGKILLed', async () => {
    const child = spawn(process.execPath, [new URL('./support/start-and-wait.ts', import.meta.url).pathname], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const { runDir, pids } = JSON.parse(line) as { runDir: string; pids: Record<string, number> };
    expect(Object.keys(pids).sort()).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok']);
    child.kill('SIGKILL');
    const running = () =>
      Object.values(pids).filter((pid) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      }).length;
    await expect.poll(running, { timeout: 20_000 }).toBe(0);
    await expect.poll(() => existsSync(runDir), { timeout: 20_000 }).toBe(false);
  });
});
