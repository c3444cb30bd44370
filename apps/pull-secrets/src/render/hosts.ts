import { isIPv4 } from 'node:net';

/** The part of a Service the host list reads. */
export interface RegistryService {
  metadata?: { name?: string; namespace?: string };
  spec?: { clusterIP?: string; ports?: { port?: number }[] };
}

/**
 * The hostnames one registry Service is reached by (reference Part 3.6), from its first port P:
 * `<svc>.<ns>.svc:P`, `<svc>.<ns>.svc.cluster.local:P`, `<ClusterIPv4>:P`, and the port-less forms when P
 * is 80 or 443. A headless Service or one without ports yields nothing; IPv6 ClusterIPs are left out
 * (they are not valid in image references).
 */
export function serviceHosts(svc: RegistryService | undefined): string[] {
  const name = svc?.metadata?.name;
  const namespace = svc?.metadata?.namespace;
  const ip = svc?.spec?.clusterIP;
  const port = svc?.spec?.ports?.[0]?.port;
  if (!name || !namespace || !ip || ip === 'None' || port === undefined) return [];
  const dns = `${name}.${namespace}.svc`;
  const bare = port === 80 || port === 443;
  const v4 = isIPv4(ip);
  const hosts = [`${dns}:${port}`, `${dns}.cluster.local:${port}`];
  if (v4) hosts.push(`${ip}:${port}`);
  if (bare) hosts.push(dns, `${dns}.cluster.local`);
  if (bare && v4) hosts.push(ip);
  return hosts;
}

export interface HostInputs {
  /** The registry Services that exist (`openshift-image-registry/image-registry`, `default/docker-registry`). */
  services: (RegistryService | undefined)[];
  /** `images.config.openshift.io/cluster` `status.externalRegistryHostnames` (route hosts). */
  externalRegistryHostnames: readonly string[] | undefined;
  /** `--additional-registry-hosts`. */
  additional: readonly string[];
}

/** Every registry host a pull secret carries an entry for: sorted, without duplicates or blanks. */
export function registryHosts(inputs: HostInputs): string[] {
  const all = [
    ...inputs.services.flatMap(serviceHosts),
    ...(inputs.externalRegistryHostnames ?? []),
    ...inputs.additional,
  ].map((h) => h.trim());
  return [...new Set(all.filter((h) => h.length > 0))].sort();
}
