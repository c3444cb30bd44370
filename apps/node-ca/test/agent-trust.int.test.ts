import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  createServingCertificate,
  createTinyImage,
  skopeoCopy,
  startRegistry,
  writeCaCertDir,
  type Registry,
  type ServingCertificate,
} from '@image-registry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountConfigMap, scratchAgentFlags } from './scratch-node.ts';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

// The registry as nodes know it: the Service name and port, the key `image-registry.<ns>.svc..5000`.
const namespace = 'openshift-image-registry';
const serviceHost = `image-registry.${namespace}.svc:5000`;

let root: string;
let tls: ServingCertificate;
let registry: Registry;

/** Runs the agent once as a plain process on the scratch root, as the DaemonSet's container would. */
async function agentOnce(certs: Record<string, string>): Promise<void> {
  await mountConfigMap(join(root, 'mnt/certificates'), certs);
  await run(process.execPath, [
    main,
    'sync',
    '--once',
    ...scratchAgentFlags(root, ''),
  ]);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'node-ca-trust-'));
  // The registry's serving certificate for its Service names, issued by the CA the bundle carries.
  tls = await createServingCertificate({
    dnsNames: [`image-registry.${namespace}.svc`, `image-registry.${namespace}.svc.cluster.local`],
    ipAddresses: ['127.0.0.1'],
  });
  await mkdir(join(root, 'tls'));
  await writeFile(join(root, 'tls/tls.crt'), tls.cert);
  await writeFile(join(root, 'tls/tls.key'), tls.key);
  registry = await startRegistry({
    env: { REGISTRY_HTTP_TLS_CERTIFICATE: join(root, 'tls/tls.crt'), REGISTRY_HTTP_TLS_KEY: join(root, 'tls/tls.key') },
  });
  const image = createTinyImage(join(root, 'image'), { tag: 'v1' });
  await skopeoCopy(image.ref, `docker://${registry.address}/team/app:v1`, { caCertDir: writeCaCertDir(join(root, 'push-ca'), tls.caCert) });
}, 600_000);

afterAll(async () => {
  await registry?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('a real client trusts what the agent wrote', () => {
  it('skopeo pulls through the Service name with the agent’s containers certs.d, and fails without it', async () => {
    const pull = (certDir: string) =>
      skopeoCopy(`docker://${serviceHost}/team/app:v1`, `oci:${join(root, 'pulled')}:v1`, {
        caCertDir: certDir,
        resolve: { [serviceHost]: registry.address },
      });
    const certDir = join(root, 'etc/containers/certs.d', serviceHost);
    await agentOnce({});
    await expect(pull(certDir)).rejects.toThrow(/x509|certificate/);

    await agentOnce({ [`image-registry.${namespace}.svc..5000`]: tls.caCert });
    await expect(pull(certDir)).resolves.toBeDefined();
    // Docker's and CRI-O's folder holds the same trust.
    await expect(pull(join(root, 'etc/docker/certs.d', serviceHost))).resolves.toBeDefined();

    // The host leaves the bundle: the agent removes its folder and trust is gone again.
    await agentOnce({});
    expect(existsSync(certDir)).toBe(false);
    await expect(pull(certDir)).rejects.toThrow(/x509|certificate|no such file/);
  });

  const ctrAvailable = existsSync('/usr/bin/ctr') && existsSync('/usr/bin/containerd') && process.getuid?.() === 0;

  it.skipIf(!ctrAvailable)('containerd fetches with ctr --hosts-dir pointing at the agent’s hosts.toml, and fails without it', async () => {
    // A loopback host: containerd would otherwise need name resolution, which the node's /etc/hosts
    // block gives it in production. The registry answers on 127.0.0.1 with the same certificate.
    const host = registry.address;
    const containerd = await startContainerd(join(root, 'containerd'));
    try {
      const fetch = (hostsDir: string) =>
        run('ctr', ['--address', containerd.socket, 'content', 'fetch', '--hosts-dir', hostsDir, `${host}/team/app:v1`], { timeout: 60_000 });
      await agentOnce({});
      await expect(fetch(join(root, 'etc/containerd/certs.d'))).rejects.toThrow();
      // hosts.toml with another CA: TLS is verified against the file the agent wrote, so this fails.
      const other = await createServingCertificate();
      await agentOnce({ [host.replace(':', '..')]: other.caCert });
      await expect(fetch(join(root, 'etc/containerd/certs.d'))).rejects.toThrow(/x509|certificate/);
      await agentOnce({ [host.replace(':', '..')]: tls.caCert });
      await expect(fetch(join(root, 'etc/containerd/certs.d'))).resolves.toBeDefined();
    } finally {
      await containerd.stop();
    }
  });
});

/** A containerd of its own (root, state and socket in `dir`, no CRI), for ctr's content store. */
async function startContainerd(dir: string): Promise<{ socket: string; stop(): Promise<void> }> {
  await mkdir(dir, { recursive: true });
  const socket = join(dir, 'containerd.sock');
  const config = [
    'version = 2',
    `root = ${JSON.stringify(join(dir, 'root'))}`,
    `state = ${JSON.stringify(join(dir, 'state'))}`,
    'disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]',
    // Its opt plugin would otherwise create /opt/containerd on the machine.
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = ${JSON.stringify(join(dir, 'opt'))}`,
    '[grpc]',
    `  address = ${JSON.stringify(socket)}`,
    '[ttrpc]',
    `  address = ${JSON.stringify(`${socket}.ttrpc`)}`,
    '[debug]',
    `  address = ${JSON.stringify(`${socket}.debug`)}`,
    '',
  ].join('\n');
  await writeFile(join(dir, 'config.toml'), config);
  const proc: ChildProcess = spawn('containerd', ['--config', join(dir, 'config.toml')], { stdio: 'ignore' });
  const deadline = Date.now() + 60_000;
  while (!existsSync(socket)) {
    if (proc.exitCode !== null) throw new Error(`containerd exited with ${proc.exitCode}`);
    if (Date.now() > deadline) throw new Error('containerd did not open its socket within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  await run('ctr', ['--address', socket, 'version'], { timeout: 30_000 });
  return {
    socket,
    stop: async () => {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}
