import { layout } from './layout.ts';
import { sh } from './namespace.ts';

/** The ranges no packet from this machine may send anywhere but into the node's namespace. */
export function guardedRanges(): string[] {
  return [layout.serviceCidr, layout.podCidr, layout.linkCidr, ...layout.kwokRanges];
}

/**
 * iptables-restore input for the host guard: a chain jumped to first from OUTPUT and FORWARD that rejects
 * (and so counts) every packet to a cluster range leaving through any interface but the node's veth.
 * The node runs in its own network namespace, so these counters stay at zero unless isolation broke.
 */
export function guardRules(): string {
  const chain = layout.guardChain;
  // Loopback first: the host's own address on the veth is reached through lo.
  const rules = [`-A ${chain} -o lo -j RETURN`];
  rules.push(...guardedRanges().map((cidr) => `-A ${chain} -d ${cidr} ! -o ${layout.hostVeth} -j REJECT`));
  rules.push(`-A ${chain} -s ${layout.podCidr} ! -o ${layout.hostVeth} -j DROP`);
  return ['*filter', `:${chain} - [0:0]`, ...rules, `-I OUTPUT 1 -j ${chain}`, `-I FORWARD 1 -j ${chain}`, 'COMMIT', ''].join('\n');
}

/** Shell lines that remove the guard (each may fail harmlessly when already gone). */
export function guardRemoval(): string[] {
  const c = layout.guardChain;
  return [
    `while iptables -w -D OUTPUT -j ${c} 2>/dev/null; do :; done`,
    `while iptables -w -D FORWARD -j ${c} 2>/dev/null; do :; done`,
    `iptables -w -F ${c} 2>/dev/null`,
    `iptables -w -X ${c} 2>/dev/null`,
  ];
}

export async function installGuard(): Promise<void> {
  await sh('iptables-restore', ['-w', '--noflush'], { input: guardRules() });
}

/**
 * Packets the guard stopped on their way to the service, pod or link range, from `iptables -L -n -v -x`
 * (kwok's ranges are guarded too, but other tests' control planes may address those).
 */
export function countGuarded(listing: string): number {
  const ours = new Set<string>([layout.serviceCidr, layout.podCidr, layout.linkCidr]);
  return listing
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/))
    // pkts bytes target prot opt in out source destination
    .filter((f) => (f[2] === 'REJECT' || f[2] === 'DROP') && (ours.has(f[8] ?? '') || f[7] === layout.podCidr))
    .map((f) => Number(f[0]))
    .filter((n) => Number.isFinite(n))
    .reduce((a, b) => a + b, 0);
}

/** The guard's count now: zero when nothing of the node's tried to leave the machine. */
export async function guardPackets(): Promise<number> {
  return countGuarded(await sh('iptables', ['-w', '-L', layout.guardChain, '-n', '-v', '-x']));
}
