import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A ConfigMap volume as the kubelet lays it out: every key a symlink into `..data`, itself a symlink
 * to a timestamped folder; an update swaps the whole folder. Used to feed the agent real mounts.
 */
export async function mountConfigMap(dir: string, data: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const version = `..2026_12_02_05_00_00.${Math.random().toString(36).slice(2, 10)}`;
  await mkdir(join(dir, version));
  for (const [k, v] of Object.entries(data)) await writeFile(join(dir, version, k), v);
  const old = (await readdir(dir)).filter((n) => n !== version);
  for (const name of old) await rm(join(dir, name), { recursive: true, force: true });
  await symlink(version, join(dir, '..data'));
  for (const k of Object.keys(data)) await symlink(join('..data', k), join(dir, k));
}

/** `node-ca sync` flags that put every path of the agent under a scratch `root` (the layout of a node). */
export function scratchAgentFlags(root: string, hostsFile = join(root, 'etc/hosts')): string[] {
  return [
    `--certificates-dir=${join(root, 'mnt/certificates')}`,
    `--hosts-source=${join(root, 'mnt/hosts/hosts')}`,
    `--docker-certs-dir=${join(root, 'etc/docker/certs.d')}`,
    `--containers-certs-dir=${join(root, 'etc/containers/certs.d')}`,
    `--containerd-certs-dir=${join(root, 'etc/containerd/certs.d')}`,
    `--containerd-config=${join(root, 'etc/containerd/config.toml')}`,
    `--hosts-file=${hostsFile}`,
  ];
}
