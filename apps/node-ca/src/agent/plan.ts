import { join } from 'node:path';
import type { RootPlan } from './certs-root.ts';
import { hostFromKey } from './keys.ts';
import type { SourceFile } from './sources.ts';

export interface CertsPlan {
  /** `/etc/docker/certs.d`: `<host>/ca.crt` (Docker, CRI-O). */
  docker: RootPlan;
  /** `/etc/containers/certs.d`: `<host>/ca.crt` (CRI-O, podman, skopeo). */
  containers: RootPlan;
  /** `/etc/containerd/certs.d`: `<host>/ca.crt` and `<host>/hosts.toml`. */
  containerd: RootPlan;
  /** Keys that name no host, with the reason. */
  refused: { key: string; reason: string }[];
}

/**
 * containerd's registry host file for `host`: the registry is its own server, and its CA is the
 * ca.crt beside this file (named by absolute path, as the node sees it). Hosts are validated
 * hostnames and ports, so they need no TOML escaping; the path is quoted as a TOML basic string.
 */
export function hostsToml(host: string, caPath: string): string {
  return [
    '# Written by the image-registry-operator node-ca agent from ConfigMap image-registry-certificates.',
    '# Changes are overwritten; containerd reads this when its registry config_path names this folder.',
    `server = "https://${host}"`,
    '',
    `[host."https://${host}"]`,
    '  capabilities = ["pull", "resolve", "push"]',
    `  ca = ${JSON.stringify(caPath)}`,
    '',
  ].join('\n');
}

/** What every root must hold for the bundle's keys. Pure: no file is read or written. */
export function planCerts(files: readonly SourceFile[], containerdRoot: string): CertsPlan {
  const plan: CertsPlan = { docker: new Map(), containers: new Map(), containerd: new Map(), refused: [] };
  for (const { key, data } of files) {
    const host = hostFromKey(key);
    if (!host.ok) {
      plan.refused.push({ key, reason: host.reason });
      continue;
    }
    // Two keys for one host (`a..443` next to `a`) are not possible: ports are kept as given.
    plan.docker.set(host.host, new Map([['ca.crt', data]]));
    plan.containers.set(host.host, new Map([['ca.crt', data]]));
    const ca = join(containerdRoot, host.host, 'ca.crt');
    plan.containerd.set(
      host.host,
      new Map([
        ['ca.crt', data],
        ['hosts.toml', Buffer.from(hostsToml(host.host, ca))],
      ]),
    );
  }
  return plan;
}
