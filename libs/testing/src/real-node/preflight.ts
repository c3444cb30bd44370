import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Host programs the real node runs (Debian: containerd, runc, iptables, containernetworking-plugins, util-linux, iproute2). */
const programs = ['containerd', 'ctr', 'runc', 'iptables', 'iptables-restore', 'ip', 'unshare', 'nsenter'];
const cniPlugins = ['/usr/lib/cni/bridge', '/usr/lib/cni/host-local', '/usr/lib/cni/portmap', '/usr/lib/cni/loopback'];

function onPath(name: string): boolean {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/sbin'];
  return dirs.some((d) => {
    try {
      accessSync(join(d, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Why a real node cannot start here, or undefined when it can (root, the packages, cgroups). */
export function realNodeUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `a real node needs Linux, this is ${process.platform}`;
  if (process.getuid?.() !== 0) {
    return 'a real node needs root (namespaces, cgroups, iptables); run the tests as root, as CI does';
  }
  const missing = programs.filter((p) => !onPath(p));
  const missingCni = cniPlugins.filter((p) => !existsSync(p));
  if (missing.length > 0 || missingCni.length > 0) {
    return (
      `missing ${[...missing, ...missingCni].join(', ')}; tools/scripts/bootstrap.sh installs them as root ` +
      '(apt-get install containerd runc iptables containernetworking-plugins iproute2 util-linux)'
    );
  }
  if (!existsSync('/sys/fs/cgroup/memory') && !existsSync('/sys/fs/cgroup/cgroup.controllers')) {
    return 'no cgroup hierarchy is mounted at /sys/fs/cgroup';
  }
  return undefined;
}
