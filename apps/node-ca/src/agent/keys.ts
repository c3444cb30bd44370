/**
 * Keys of the certificates ConfigMap are untrusted input that become directory names on every node.
 * A key names a registry host, with `..` standing for `:` before a port (ConfigMap keys cannot hold
 * `:`): `bar.example.com..5000` is `bar.example.com:5000`. Anything that is not a plain hostname with
 * an optional port is refused, so no key can name `.`, `..`, a path, or a dotfile such as the
 * kubelet's `..data`.
 */

/** The storage CA key of the bundle: a bundle for the registry's own hosts, not a host of its own. */
export const storageBundleKey = 'storage-ca-bundle.pem';

/** Longest DNS name; a port adds at most 6 characters. Directory names stay far below NAME_MAX. */
const maxHostLength = 253;
const label = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export type HostResult = { ok: true; host: string } | { ok: false; reason: string };

/** The registry host (`name[:port]`) a key stands for, or why the key is refused. */
export function hostFromKey(key: string): HostResult {
  if (key === storageBundleKey) return { ok: false, reason: 'the storage CA bundle is not a registry host' };
  if (key.startsWith('.')) return { ok: false, reason: 'starts with a dot' };
  const at = key.lastIndexOf('..');
  const name = at === -1 ? key : key.slice(0, at);
  const port = at === -1 ? undefined : key.slice(at + 2);
  if (name.length === 0) return { ok: false, reason: 'empty host' };
  if (name.length > maxHostLength) return { ok: false, reason: `longer than ${maxHostLength} characters` };
  if (!name.split('.').every((l) => label.test(l))) return { ok: false, reason: 'not a DNS name' };
  if (port !== undefined) {
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      return { ok: false, reason: 'the port after ".." is not 1-65535' };
    }
    return { ok: true, host: `${name}:${port}` };
  }
  return { ok: true, host: name };
}

/** A hostname as written in /etc/hosts: a DNS name, no port. */
export function isHostname(name: string): boolean {
  return name.length > 0 && name.length <= maxHostLength && name.split('.').every((l) => label.test(l));
}
