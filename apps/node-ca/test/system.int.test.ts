import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestNamespace, testKubeConfig, testKubeconfigPath } from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DaemonSetObject } from '../src/resources.ts';
import { configMapData, configMapPath, get } from './support.ts';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let kc: KubeConfig;

beforeAll(() => {
  kc = testKubeConfig();
});

function startApp(args: string[]) {
  const child = spawn(process.execPath, [main, `--kubeconfig=${testKubeconfigPath()}`, '--leader-elect=false', '--metrics-bind-address=0', ...args], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

describe('the node-ca app as a process', () => {
  it('deploys the DaemonSet and the bundle, skips publishing where the namespace is absent, and exits 0 on SIGTERM', async () => {
    const ns = await createTestNamespace(kc, 'nodeca-sys');
    const app = startApp([`--namespace=${ns}`, '--published-ca-namespace=no-such-namespace', '--node-ca-image=example/node-ca:v1']);
    try {
      await expect
        .poll(async () => (await get<DaemonSetObject>(kc, `/apis/apps/v1/namespaces/${ns}/daemonsets/node-ca`))?.spec, { timeout: 90_000 })
        .toMatchObject({ template: { spec: { containers: [{ image: 'example/node-ca:v1' }] } } });
      // No Service and no serviceca yet: the bundle exists and is empty.
      await expect
        .poll(async () => (await get<{ metadata: { name: string } }>(kc, configMapPath(ns, 'image-registry-certificates')))?.metadata.name, { timeout: 60_000 })
        .toBe('image-registry-certificates');
      expect(await configMapData(kc, ns, 'image-registry-certificates')).toBeUndefined();
      expect(app.output()).toContain('"publish":false');
    } finally {
      app.child.kill('SIGTERM');
    }
    expect(await app.exited).toBe(0);
  });

  it('refuses a bad --publish-ca with what to pass instead', async () => {
    const app = startApp(['--publish-ca=maybe']);
    expect(await app.exited).not.toBe(0);
    expect(app.output()).toContain('--publish-ca must be auto, true or false, not \\"maybe\\"');
  });
});
