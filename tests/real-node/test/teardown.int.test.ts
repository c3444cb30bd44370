import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { applyYaml, hostState, realNodePlacement, type HostState } from '@image-registry/testing';
import { restricted } from './pods.ts';
import { getPod, isReady, describePod, skipReason, startCluster, type Cluster } from './support.ts';

const poll = { timeout: 180_000, interval: 1_000 };

function pick<T>(all: Record<string, T>, names: string[]): Record<string, T> {
  return Object.fromEntries(Object.entries(all).filter(([n]) => names.includes(n)));
}

/** A pod on the real node that keeps a container, a shim, a sandbox, a netns and cgroups alive. */
async function runPod(cluster: Cluster): Promise<void> {
  const { kc, h } = cluster;
  await applyYaml(kc, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'resident', namespace: 'default' },
    spec: {
      ...realNodePlacement(h),
      containers: [{ name: 'serve', image: h.images['test-client'], args: ['serve'], readinessProbe: { httpGet: { path: '/healthz', port: 8080 } }, securityContext: restricted }],
      securityContext: { runAsUser: 65532 },
    },
  });
  await expect.poll(async () => {
    const pod = await getPod(kc, 'default', 'resident');
    return isReady(pod) ? 'ready' : describePod(pod);
  }, poll).toBe('ready');
}

describe.skipIf(skipReason)(`real node teardown${skipReason ? ` (not run: ${skipReason})` : ''}`, () => {
  let before: HostState;
  beforeAll(async () => {
    before = await hostState();
  });

  it('leaves no process, mount, cgroup, iptables rule, link, route, host path or sysctl change after stop', async () => {
    const cluster = await startCluster(['test-client']);
    const runDir = cluster.h.runDir;
    try {
      await runPod(cluster);
      const during = await hostState();
      // The node was really there: its guard chain, veth, cgroups and processes.
      expect(during.iptables.join('\n')).toContain('IRO-REAL-NODE');
      expect(during.links.some((l) => l.startsWith('iro-rn0'))).toBe(true);
      expect(during.cgroups.length).toBeGreaterThan(0);
      expect(during.processes.some((p) => p.includes('kubelet'))).toBe(true);
      // …but nothing of the namespaces is on the host's side: no mount, no host path.
      expect(during.mounts).toEqual(before.mounts);
      expect(during.paths).toEqual(before.paths);
    } finally {
      await cluster.cp.stop();
    }
    expect(await hostState()).toEqual(before);
    expect(existsSync(runDir)).toBe(false);
  });

  it('is cleaned up by the reaper when the test process is SIGKILLed', async () => {
    const child = spawn(process.execPath, [new URL('./support/start-and-wait.ts', import.meta.url).pathname], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, IRO_REAL_NODE_IMAGES: JSON.stringify(pick(inject('realNodeImages'), ['pause', 'test-client'])) },
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
      });
      child.once('exit', (code) => reject(new Error(`the child exited early with ${code}`)));
    });
    const { runDir } = JSON.parse(line) as { runDir: string };
    expect(existsSync(runDir)).toBe(true);
    child.kill('SIGKILL');
    await expect.poll(async () => JSON.stringify(await hostState()), { timeout: 90_000, interval: 1_000 }).toBe(JSON.stringify(before));
    await expect.poll(() => existsSync(runDir), { timeout: 30_000 }).toBe(false);
  });
});
