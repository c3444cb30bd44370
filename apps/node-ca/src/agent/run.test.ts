import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mountConfigMap, scratchAgentFlags } from '../../test/scratch-node.ts';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));
const ca = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';

let root: string;
let child: ChildProcess | undefined;
let output = '';

const flags = () => scratchAgentFlags(root);

function start(args: string[]): ChildProcess {
  output = '';
  const c = spawn(process.execPath, [main, 'sync', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  c.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return c;
}

const exited = (c: ChildProcess) =>
  new Promise<number | null>((resolve) => (c.exitCode !== null ? resolve(c.exitCode) : c.once('exit', (code) => resolve(code))));

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'node-ca-run-'));
  await mkdir(join(root, 'etc/containerd'), { recursive: true });
  await writeFile(join(root, 'etc/hosts'), '127.0.0.1 localhost\n');
});

afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await exited(child);
  }
  child = undefined;
  await rm(root, { recursive: true, force: true });
});

// Each test starts Node processes: on a busy machine that takes seconds, far over vitest's 5 s default.
describe('node-ca sync as a process', { timeout: 120_000 }, () => {
  it('syncs at start and when the mounted ConfigMap changes, then logs "shutting down node-ca" on SIGTERM and exits 0', async () => {
    await mountConfigMap(join(root, 'mnt/certificates'), { 'a.example.com': ca });
    child = start([...flags(), '--interval=3600']);
    await vi.waitFor(() => expect(existsSync(join(root, 'etc/docker/certs.d/a.example.com/ca.crt'))).toBe(true), { timeout: 30_000, interval: 100 });
    // An update of the mount (the kubelet swaps ..data) is picked up long before the hourly pass.
    await mountConfigMap(join(root, 'mnt/certificates'), { 'b.example.com..5000': ca });
    await vi.waitFor(() => expect(existsSync(join(root, 'etc/containerd/certs.d/b.example.com:5000/hosts.toml'))).toBe(true), {
      timeout: 30_000,
      interval: 100,
    });
    await vi.waitFor(() => expect(existsSync(join(root, 'etc/docker/certs.d/a.example.com'))).toBe(false), { timeout: 30_000, interval: 100 });
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(output).toContain('shutting down node-ca');
  });

  it('says when containerd would not read its certs.d folder', async () => {
    await writeFile(join(root, 'etc/containerd/config.toml'), 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n');
    child = start([...flags(), '--once']);
    expect(await exited(child)).toBe(0);
    expect(output).toContain(`containerd does not read ${join(root, 'etc/containerd/certs.d')}`);
    expect(output).toContain(`config_path = \\"${join(root, 'etc/containerd/certs.d')}\\"`);
  });

  it('refuses unknown flags with exit code 2 and prints every path flag in --help', async () => {
    child = start(['--no-such-flag']);
    expect(await exited(child)).toBe(2);
    child = start(['--help']);
    expect(await exited(child)).toBe(0);
    for (const f of ['--docker-certs-dir', '--containers-certs-dir', '--containerd-certs-dir', '--hosts-file', '--containerd-config']) {
      expect(output).toContain(f);
    }
    expect(await readFile(join(root, 'etc/hosts'), 'utf8')).toBe('127.0.0.1 localhost\n');
  });
});
