import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountConfigMap } from '../../test/scratch-node.ts';
import { markerContent, markerName } from './certs-root.ts';
import { blockBegin, blockEnd } from './hosts-block.ts';
import { agentDefaults, type AgentOptions } from './options.ts';
import { hostsToml } from './plan.ts';
import { syncOnce } from './sync.ts';

const silent = pino({ level: 'silent' });
const caA = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
const caB = '-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n';
const nodeHosts = '127.0.0.1\tlocalhost\n# kept as is\n10.0.0.7   node-a node-a.local\n';

let root: string;
let opts: AgentOptions;

/** Every file under the scratch root with its content, relative paths sorted. */
async function tree(dir = root): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    out[relative(root, path)] = await readFile(path, 'utf8');
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

async function mtimes(paths: string[]): Promise<number[]> {
  return Promise.all(paths.map(async (p) => (await stat(join(root, p))).mtimeMs));
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'node-ca-agent-'));
  opts = {
    ...agentDefaults,
    certificatesDir: join(root, 'mnt/certificates'),
    hostsSource: join(root, 'mnt/hosts/hosts'),
    dockerCertsDir: join(root, 'etc/docker/certs.d'),
    containersCertsDir: join(root, 'etc/containers/certs.d'),
    containerdCertsDir: join(root, 'etc/containerd/certs.d'),
    containerdConfig: join(root, 'etc/containerd/config.toml'),
    hostsFile: join(root, 'etc/hosts'),
  };
  await mkdir(join(root, 'etc'), { recursive: true });
  await writeFile(opts.hostsFile, nodeHosts);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('node-ca sync on a scratch root', { timeout: 60_000 }, () => {
  it('writes exactly the CA files, markers and hosts.toml for every host of the bundle', async () => {
    await mountConfigMap(opts.certificatesDir, {
      'image-registry.ns.svc..5000': caA,
      'foo.example.com': caB,
      'storage-ca-bundle.pem': caB,
    });
    const r = await syncOnce(opts, silent);
    expect(r).toMatchObject({ copied: 8, skipped: 0, trimmed: 0, errors: 0 });
    const reg = 'image-registry.ns.svc:5000';
    const files = await tree();
    const certs = Object.fromEntries(Object.entries(files).filter(([p]) => p.startsWith('etc/') && p !== 'etc/hosts'));
    expect(certs).toEqual({
      'etc/containerd/certs.d/foo.example.com/.node-ca-owned': markerContent,
      'etc/containerd/certs.d/foo.example.com/ca.crt': caB,
      'etc/containerd/certs.d/foo.example.com/hosts.toml': hostsToml('foo.example.com', join(opts.containerdCertsDir, 'foo.example.com/ca.crt')),
      [`etc/containerd/certs.d/${reg}/.node-ca-owned`]: markerContent,
      [`etc/containerd/certs.d/${reg}/ca.crt`]: caA,
      [`etc/containerd/certs.d/${reg}/hosts.toml`]: hostsToml(reg, join(opts.containerdCertsDir, reg, 'ca.crt')),
      'etc/containers/certs.d/foo.example.com/.node-ca-owned': markerContent,
      'etc/containers/certs.d/foo.example.com/ca.crt': caB,
      [`etc/containers/certs.d/${reg}/.node-ca-owned`]: markerContent,
      [`etc/containers/certs.d/${reg}/ca.crt`]: caA,
      'etc/docker/certs.d/foo.example.com/.node-ca-owned': markerContent,
      'etc/docker/certs.d/foo.example.com/ca.crt': caB,
      [`etc/docker/certs.d/${reg}/.node-ca-owned`]: markerContent,
      [`etc/docker/certs.d/${reg}/ca.crt`]: caA,
    });
    expect(files['etc/containerd/certs.d/foo.example.com/hosts.toml']).toContain('server = "https://foo.example.com"');
  });

  it('changes nothing on a second pass: same files, same mtimes', async () => {
    await mountConfigMap(opts.certificatesDir, { 'foo.example.com': caA });
    await mountConfigMap(join(root, 'mnt/hosts'), { hosts: '10.96.0.20 image-registry.ns.svc\n' });
    await syncOnce(opts, silent);
    const before = await tree();
    const paths = Object.keys(before);
    const times = await mtimes(paths);
    const second = await syncOnce(opts, silent);
    expect(second).toEqual({ copied: 0, skipped: 4, trimmed: 0, hostsChanged: false, errors: 0 });
    expect(await tree()).toEqual(before);
    expect(await mtimes(paths)).toEqual(times);
  });

  it('rewrites a changed CA in place of the old one and trims only hosts it wrote', async () => {
    await mountConfigMap(opts.certificatesDir, { 'foo.example.com': caA, 'bar.example.com..5000': caA });
    await syncOnce(opts, silent);
    await mountConfigMap(opts.certificatesDir, { 'foo.example.com': caB });
    const r = await syncOnce(opts, silent);
    expect(r).toMatchObject({ trimmed: 3, errors: 0 });
    expect(await readFile(join(opts.dockerCertsDir, 'foo.example.com/ca.crt'), 'utf8')).toBe(caB);
    for (const dir of [opts.dockerCertsDir, opts.containersCertsDir, opts.containerdCertsDir]) {
      expect((await readdir(dir)).sort()).toEqual(['foo.example.com']);
    }
  });

  it('never touches folders and files an admin made, also for a host in the bundle', async () => {
    const adminOwn = join(opts.dockerCertsDir, 'mirror.corp:5000');
    const adminSame = join(opts.containerdCertsDir, 'foo.example.com');
    await mkdir(adminOwn, { recursive: true });
    await writeFile(join(adminOwn, 'ca.crt'), 'admin CA');
    await mkdir(adminSame, { recursive: true });
    await writeFile(join(adminSame, 'hosts.toml'), 'server = "https://mirror.corp"\n');
    await writeFile(join(opts.dockerCertsDir, 'README'), 'admin notes');
    await mountConfigMap(opts.certificatesDir, { 'foo.example.com': caA });
    await syncOnce(opts, silent);
    await mountConfigMap(opts.certificatesDir, {});
    await syncOnce(opts, silent);
    const files = await tree();
    expect(files).toMatchObject({
      'etc/docker/certs.d/mirror.corp:5000/ca.crt': 'admin CA',
      'etc/containerd/certs.d/foo.example.com/hosts.toml': 'server = "https://mirror.corp"\n',
      'etc/docker/certs.d/README': 'admin notes',
    });
    expect(Object.keys(files).filter((p) => p.includes(markerName))).toEqual([]);
  });

  it('adds, updates and removes the hosts block, keeping the rest of /etc/hosts byte for byte', async () => {
    const hostsDir = join(root, 'mnt/hosts');
    await mountConfigMap(hostsDir, { hosts: '10.96.0.20 image-registry.ns.svc image-registry.ns.svc.cluster.local\n' });
    expect((await syncOnce(opts, silent)).hostsChanged).toBe(true);
    const block = (ip: string) => `${blockBegin}\n${ip}\timage-registry.ns.svc image-registry.ns.svc.cluster.local\n${blockEnd}\n`;
    expect(await readFile(opts.hostsFile, 'utf8')).toBe(nodeHosts + block('10.96.0.20'));

    // An admin appends a line after the block; the update keeps it.
    await writeFile(opts.hostsFile, `${nodeHosts}${block('10.96.0.20')}192.168.0.9 later\n`);
    await mountConfigMap(hostsDir, { hosts: '10.96.0.21 image-registry.ns.svc image-registry.ns.svc.cluster.local\n' });
    await syncOnce(opts, silent);
    expect(await readFile(opts.hostsFile, 'utf8')).toBe(`${nodeHosts}${block('10.96.0.21')}192.168.0.9 later\n`);

    // The Service is gone: the controller writes an empty mapping and the block goes.
    await mountConfigMap(hostsDir, { hosts: '' });
    expect((await syncOnce(opts, silent)).hostsChanged).toBe(true);
    expect(await readFile(opts.hostsFile, 'utf8')).toBe(`${nodeHosts}192.168.0.9 later\n`);
  });

  it('leaves /etc/hosts unopened when host mappings are off', async () => {
    await mountConfigMap(join(root, 'mnt/hosts'), { hosts: '10.96.0.20 image-registry.ns.svc\n' });
    await syncOnce({ ...opts, hostsFile: '' }, silent);
    expect(await readFile(opts.hostsFile, 'utf8')).toBe(nodeHosts);
  });

  it('writes nothing outside the three roots for hostile keys and hostile mappings', async () => {
    // `.` and `..` cannot be file names at all; everything else a ConfigMap volume could hold is tried.
    await mountConfigMap(opts.certificatesDir, {
      '...': caA,
      '..5000': caA,
      '.hidden': caA,
      'a..b..5000': caA,
      [`${'x'.repeat(250)}.com`]: caA,
      'ok.example.com': caA,
    });
    await mountConfigMap(join(root, 'mnt/hosts'), { hosts: '10.0.0.1 a/../../etc/passwd\nnot-ip name\n' });
    const outside = await tree();
    delete outside['etc/hosts'];
    const r = await syncOnce(opts, silent);
    expect(r.errors).toBe(0);
    const after = await tree();
    const added = Object.keys(after).filter((p) => !(p in outside) && p !== 'etc/hosts');
    expect(added.sort()).toEqual(
      [
        'etc/containerd/certs.d/ok.example.com/.node-ca-owned',
        'etc/containerd/certs.d/ok.example.com/ca.crt',
        'etc/containerd/certs.d/ok.example.com/hosts.toml',
        'etc/containers/certs.d/ok.example.com/.node-ca-owned',
        'etc/containers/certs.d/ok.example.com/ca.crt',
        'etc/docker/certs.d/ok.example.com/.node-ca-owned',
        'etc/docker/certs.d/ok.example.com/ca.crt',
      ].sort(),
    );
    expect(await readFile(opts.hostsFile, 'utf8')).toBe(nodeHosts);
    expect((await readdir(join(root, 'etc'))).sort()).toEqual(['containerd', 'containers', 'docker', 'hosts']);
  });

  it('does not write through a symlink planted where a host folder would go', async () => {
    const elsewhere = join(root, 'elsewhere');
    await mkdir(elsewhere);
    await mkdir(opts.dockerCertsDir, { recursive: true });
    await symlink(elsewhere, join(opts.dockerCertsDir, 'foo.example.com'));
    await mountConfigMap(opts.certificatesDir, { 'foo.example.com': caA });
    await syncOnce(opts, silent);
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('removes what a crashed pass left half made', async () => {
    const leftover = join(opts.dockerCertsDir, '.node-ca-tmp-foo.example.com-dead');
    await mkdir(leftover, { recursive: true });
    await writeFile(join(leftover, markerName), markerContent);
    await mountConfigMap(opts.certificatesDir, { 'foo.example.com': caA });
    await syncOnce(opts, silent);
    expect((await readdir(opts.dockerCertsDir)).sort()).toEqual(['foo.example.com']);
  });
});
